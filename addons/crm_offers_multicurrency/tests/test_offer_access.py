from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import OfferCase


@tagged("post_install", "-at_install")
class TestOfferAccess(OfferCase):
    def test_salespeople_see_their_own_offers_managers_all(self):
        other = new_test_user(
            self.env,
            login="offer_other_salesman",
            groups="sales_team.group_sale_salesman",
        )
        order = self._offer()
        Variant = self.env["crm.offer.variant"]
        self.assertEqual(
            Variant.with_user(self.salesman).search([("order_id", "=", order.id)]),
            order.offer_variant_ids,
        )
        self.assertFalse(Variant.with_user(other).search([("order_id", "=", order.id)]))
        with self.assertRaises(AccessError):
            order.offer_variant_ids.with_user(other).read(["name"])
        self.assertEqual(
            Variant.with_user(self.sales_manager).search([("order_id", "=", order.id)]),
            order.offer_variant_ids,
        )
        self.assertEqual(
            len(
                self.env["crm.offer.rate"]
                .with_user(self.sales_manager)
                .search([("order_id", "=", order.id)])
            ),
            2,
        )

    def test_only_managers_edit_profiles(self):
        with self.assertRaises(AccessError):
            self.env["crm.offer.profile"].with_user(self.salesman).create(
                {"name": "Mine"}
            )
        profile = (
            self.env["crm.offer.profile"]
            .with_user(self.sales_manager)
            .create({"name": "Managed"})
        )
        self.assertEqual(profile.company_id, self.env.company)

    def test_offers_of_another_company_stay_there(self):
        other_company = self.env["res.company"].create({"name": "Offer Branch Co"})
        other_user = new_test_user(
            self.env,
            login="offer_branch_manager",
            groups="sales_team.group_sale_manager",
            company_id=other_company.id,
            company_ids=[other_company.id],
        )
        order = self._offer(user=self.sales_manager)
        self.assertFalse(
            self.env["crm.offer.variant"]
            .with_user(other_user)
            .search([("order_id", "=", order.id)])
        )
        self.assertFalse(
            self.env["crm.offer.analysis"]
            .with_user(other_user)
            .search([("order_id", "=", order.id)])
        )
        self.assertTrue(
            self.env["crm.offer.analysis"]
            .with_user(self.sales_manager)
            .search([("order_id", "=", order.id)])
        )
