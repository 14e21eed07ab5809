from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import OfferCase


@tagged("post_install", "-at_install")
class TestOfferVariants(OfferCase):
    def test_profile_default_variants_and_variant_totals(self):
        order = self._offer()
        basic, premium = order.offer_variant_ids
        self.assertEqual(order.offer_variant_ids.mapped("name"), ["Basic", "Premium"])
        # shared 10 + 2 x 100
        self.assertEqual(basic.amount_untaxed, 210.0)
        # shared 10 + 2 x 100 + 2 x 40 - 10%
        self.assertEqual(premium.amount_untaxed, 282.0)
        self.assertEqual(premium.amount_total, 282.0)
        # until a variant is chosen, the quotation counts its first variant
        self.assertEqual(order.amount_untaxed, 210.0)

    def test_variant_totals_with_taxes(self):
        order = self._offer()
        order.order_line.tax_id = self.tax
        basic, premium = order.offer_variant_ids
        self.assertEqual(basic.amount_tax, 48.3)
        self.assertEqual(basic.amount_total, 258.3)
        self.assertAlmostEqual(premium.amount_total, 346.86)

    def test_standard_quotation_shows_what_its_totals_count(self):
        order = self._offer()
        basic, premium = order.offer_variant_ids
        self.assertEqual(
            order._get_order_lines_to_report(),
            order.order_line.filtered(lambda line: line.offer_variant_id != premium),
        )
        premium.sequence = 0  # Premium first: the quotation now counts it
        self.assertEqual(order.amount_untaxed, 282.0)
        self.assertEqual(
            order._get_order_lines_to_report(),
            order.order_line.filtered(lambda line: line.offer_variant_id != basic),
        )

    @freeze_time("2026-03-20")
    def test_accepting_one_variant_keeps_only_its_lines(self):
        order = self._offer()
        basic, premium = order.offer_variant_ids
        basic_line = basic.line_ids
        premium.with_user(self.salesman).action_accept()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.offer_variant_id, premium)
        self.assertTrue(premium.is_chosen)
        self.assertEqual(
            sorted(order.order_line.mapped("product_id.name")),
            ["Offer Chair", "Offer Delivery", "Offer Desk"],
        )
        self.assertEqual(order.amount_untaxed, 282.0)
        # the basic variant stays on record, with its line and its total
        self.assertFalse(basic_line.exists())
        self.assertEqual(basic.archived_line_ids.product_id, self.desk)
        self.assertEqual(basic.archived_line_ids.price_subtotal, 200.0)
        self.assertEqual(basic.amount_untaxed, 210.0)
        self.assertTrue(order.offer_rates_frozen)

    @freeze_time("2026-03-20")
    def test_confirming_without_choosing_a_variant_is_refused(self):
        order = self._offer()
        with self.assertRaises(UserError):
            order.action_confirm()
        self.assertEqual(order.state, "draft")

    @freeze_time("2026-03-20")
    def test_accepting_twice_is_refused(self):
        order = self._offer()
        basic, premium = order.offer_variant_ids
        basic.action_accept()
        with self.assertRaises(UserError) as caught:
            premium.action_accept()
        self.assertIn("already accepted", str(caught.exception))
        self.assertEqual(order.offer_variant_id, basic)

    @freeze_time("2026-05-01")
    def test_accepting_an_expired_offer_is_refused(self):
        order = self._offer()
        self.assertEqual(str(order.validity_date), "2026-04-04")
        with self.assertRaises(UserError) as caught:
            order.offer_variant_ids[0].action_accept()
        self.assertIn("expired", str(caught.exception))
        self.assertEqual(order.state, "draft")
        self.assertEqual(len(order.order_line), 4)

    @freeze_time("2026-03-20")
    def test_a_variant_without_lines_is_refused_when_sending(self):
        order = self._offer()
        order.offer_variant_ids = [Command.create({"name": "Empty"})]
        with self.assertRaises(ValidationError) as caught:
            order.action_quotation_sent()
        self.assertIn("Empty", str(caught.exception))
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.offer_rates_frozen)

    def test_copy_keeps_variants_and_their_lines(self):
        order = self._offer()
        copy = order.copy()
        self.assertEqual(copy.offer_variant_ids.mapped("name"), ["Basic", "Premium"])
        self.assertEqual(
            copy.offer_variant_ids.mapped("amount_untaxed"), [210.0, 282.0]
        )
        self.assertFalse(copy.order_line.offer_variant_id & order.offer_variant_ids)
