from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import OfferCase


@tagged("post_install", "-at_install")
class TestOfferUi(HttpCase, OfferCase):
    def test_two_variant_two_currency_offer_tour(self):
        """A salesperson builds an offer with two variants shown in two more
        currencies, from a profile."""
        self.env["crm.offer.profile"].create(
            {
                "name": "Tour Export",
                "currency_ids": [Command.set([self.teu.id, self.tyn.id])],
                "variant_ids": [
                    Command.create({"name": "Basic", "sequence": 1}),
                    Command.create({"name": "Premium", "sequence": 2}),
                ],
            }
        )
        self.env["res.partner"].create({"name": "Tour Customer", "is_company": True})
        Product = self.env["product.product"]
        Product.create(
            {"name": "Tour Desk", "list_price": 300.0, "taxes_id": [Command.clear()]}
        )
        Product.create(
            {"name": "Tour Chair", "list_price": 350.0, "taxes_id": [Command.clear()]}
        )
        self.start_tour(
            "/odoo/action-sale.action_quotations_with_onboarding",
            "crm_offers_multicurrency_tour",
            login="admin",
        )

        order = self.env["sale.order"].search(
            [("partner_id.name", "=", "Tour Customer")]
        )
        self.assertEqual(len(order), 1)
        basic, premium = order.offer_variant_ids
        self.assertEqual((basic.name, premium.name), ("Basic", "Premium"))
        self.assertEqual(basic.line_ids.product_id.name, "Tour Desk")
        self.assertEqual(premium.line_ids.product_id.name, "Tour Chair")
        self.assertEqual(order.offer_rate_ids.currency_id, self.teu | self.tyn)
        # 350 (company currency) x 0.4 in TEU and x 310 in TYN (April rates)
        self.assertEqual(premium.converted_amounts, "140.00 TEU · 108,500 TYN")
