from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import OfferCase


@tagged("post_install", "-at_install")
class TestOfferProfiles(OfferCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.term = cls.env.ref("account.account_payment_term_30days")
        cls.profile.payment_term_id = cls.term
        cls.tender = cls.env["crm.offer.profile"].create(
            {
                "name": "Test Tender",
                "currency_ids": [Command.set([cls.teu.id])],
                "validity_days": 60,
                "show_unit_price": False,
                "closing": "<p>Binding for 60 days</p>",
                "variant_ids": [
                    Command.create({"name": "Option A"}),
                    Command.create({"name": "Option B"}),
                    Command.create({"name": "Option C"}),
                ],
            }
        )

    def test_profile_presets_the_offer(self):
        order = self._offer()
        self.assertEqual(order.offer_currency_ids, self.teu | self.tyn)
        self.assertEqual(order.validity_date, date(2026, 4, 4))
        self.assertEqual(order.payment_term_id, self.term)
        self.assertIn("Our offer", order.offer_intro)
        self.assertFalse(order.offer_show_discount)
        self.assertTrue(order.offer_show_unit_price)
        self.assertTrue(order.offer_group_by_section)
        self.assertEqual(order.offer_variant_ids.mapped("name"), ["Basic", "Premium"])

    def test_profile_chosen_in_the_form(self):
        with Form(self.env["sale.order"].with_user(self.salesman)) as form:
            form.partner_id = self.customer
            form.pricelist_id = self.pricelist
            form.offer_profile_id = self.tender
            self.assertEqual(len(form.offer_variant_ids), 3)
            self.assertEqual(len(form.offer_rate_ids), 1)
        order = form.record
        self.assertEqual(
            order.offer_variant_ids.mapped("name"), ["Option A", "Option B", "Option C"]
        )
        self.assertFalse(order.offer_show_unit_price)
        self.assertIn("Binding", order.offer_closing)

    def test_partner_and_opportunity_defaults(self):
        self.customer.offer_profile_id = self.tender
        order = self.env["sale.order"].create(
            {"partner_id": self.customer.id, "pricelist_id": self.pricelist.id}
        )
        self.assertEqual(order.offer_profile_id, self.tender)
        lead = self.env["crm.lead"].create(
            {
                "name": "Offer lead",
                "type": "opportunity",
                "partner_id": self.customer.id,
                "offer_profile_id": self.profile.id,
            }
        )
        context = lead.action_new_quotation()["context"]
        self.assertEqual(context["default_offer_profile_id"], self.profile.id)
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "pricelist_id": self.pricelist.id,
                "opportunity_id": lead.id,
            }
        )
        self.assertEqual(order.offer_profile_id, self.profile)

    def test_changing_the_profile_of_a_draft(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "pricelist_id": self.pricelist.id,
                "date_order": "2026-03-15 10:00:00",
                "offer_profile_id": self.profile.id,
            }
        )
        order.offer_profile_id = self.tender
        self.assertEqual(len(order.offer_variant_ids), 3)
        self.assertEqual(order.offer_currency_ids, self.teu)
        self.assertEqual(order.validity_date, date(2026, 5, 14))
        # variants with lines are the user's work: a new profile keeps them
        order.order_line = [
            Command.create(
                {
                    "product_id": self.desk.id,
                    "offer_variant_id": order.offer_variant_ids[0].id,
                }
            )
        ]
        order.offer_profile_id = self.profile
        self.assertEqual(len(order.offer_variant_ids), 3)

    def test_profile_of_a_sent_offer_cannot_change(self):
        order = self._offer()
        order.validity_date = False
        order.action_quotation_sent()
        with self.assertRaises(UserError) as caught:
            order.offer_profile_id = self.tender
        self.assertIn("only be changed on a draft", str(caught.exception))
        self.assertEqual(order.offer_profile_id, self.profile)

    def test_profile_of_another_company_is_refused(self):
        other_company = self.env["res.company"].create({"name": "Offer Other Co"})
        foreign = self.env["crm.offer.profile"].create(
            {"name": "Foreign", "company_id": other_company.id}
        )
        order = self._offer()
        with self.assertRaises(UserError):
            order.offer_profile_id = foreign
        self.assertEqual(order.offer_profile_id, self.profile)
        # nor can a salesperson of this company read it
        self.assertFalse(
            self.env["crm.offer.profile"]
            .with_user(self.salesman)
            .search([("id", "=", foreign.id)])
        )
