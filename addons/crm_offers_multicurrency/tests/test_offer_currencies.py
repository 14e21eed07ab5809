from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import OfferCase


@tagged("post_install", "-at_install")
class TestOfferCurrencies(OfferCase):
    def _converted(self, order):
        """{(variant, currency code): amount} as shown on the offer."""
        return {
            (variant.name, rate.currency_id.name): rate._convert(variant.amount_total)
            for variant in order.offer_variant_ids
            for rate in order.offer_rate_ids
        }

    def test_conversion_with_the_rates_of_the_rate_date(self):
        order = self._offer()
        self.assertEqual(order.offer_rate_date, date(2026, 3, 15))
        rates = {rate.currency_id: rate for rate in order.offer_rate_ids}
        # OCR is rated 2, TEU 0.5 and TYN 300 against the company currency in March
        self.assertAlmostEqual(rates[self.teu].rate, 0.25)
        self.assertAlmostEqual(rates[self.tyn].rate, 150.0)
        self.assertEqual(rates[self.teu].rate_date, date(2026, 3, 1))
        self.assertEqual(
            self._converted(order),
            {
                ("Basic", "TEU"): 52.5,
                ("Basic", "TYN"): 31500.0,
                ("Premium", "TEU"): 70.5,
                ("Premium", "TYN"): 42300.0,
            },
        )
        # another rate date reads the April rates
        order.offer_rate_date = date(2026, 4, 15)
        rates = {rate.currency_id: rate for rate in order.offer_rate_ids}
        self.assertAlmostEqual(rates[self.teu].rate, 0.2)
        self.assertEqual(rates[self.teu].rate_date, date(2026, 4, 1))
        self.assertEqual(self._converted(order)[("Basic", "TEU")], 42.0)

    def test_rounding_follows_each_currency(self):
        order = self._offer()
        order.order_line.filtered(
            lambda line: not line.offer_variant_id
        ).price_unit = 10.37
        basic = order.offer_variant_ids[0]
        self.assertEqual(basic.amount_total, 210.37)
        converted = self._converted(order)
        # 210.37 x 0.25 = 52.5925 -> cents; 210.37 x 150 = 31555.5 -> whole units
        self.assertEqual(converted[("Basic", "TEU")], 52.59)
        self.assertEqual(converted[("Basic", "TYN")], 31556.0)
        self.assertIn("52.59", basic.converted_amounts)

    @freeze_time("2026-03-20")
    def test_rates_are_frozen_when_the_offer_is_sent(self):
        sent = self._offer()
        draft = self._offer()
        sent.action_quotation_sent()
        self.assertTrue(sent.offer_rates_frozen)
        self.assertTrue(sent.offer_sent_date)
        before = self._converted(sent)
        html_before = self._report_html(sent)
        # a newer rate of TEU before the rate date, entered after sending
        self.env["res.currency.rate"].create(
            {
                "currency_id": self.teu.id,
                "name": date(2026, 3, 10),
                "rate": 0.6,
                "company_id": self.company.id,
            }
        )
        sent.action_quotation_send()  # opening the composer again changes nothing
        self.env.invalidate_all()
        self.assertEqual(self._converted(sent), before)
        self.assertEqual(self._report_html(sent), html_before)
        with self.assertRaises(UserError):
            sent.action_offer_refresh_rates()
        with self.assertRaises(UserError):
            sent.offer_rate_date = date(2026, 3, 18)
        # a draft follows the rates until it is sent
        draft.action_offer_refresh_rates()
        self.assertEqual(self._converted(draft)[("Basic", "TEU")], 63.0)

    @freeze_time("2026-04-15")
    def test_sending_date_rule_takes_the_rates_of_the_sending_day(self):
        self.profile.rate_date_rule = "sent"
        order = self._offer()
        self.assertEqual(self._converted(order)[("Basic", "TEU")], 52.5)
        order.action_quotation_sent()
        self.assertEqual(order.offer_rate_date, date(2026, 4, 15))
        self.assertEqual(self._converted(order)[("Basic", "TEU")], 42.0)

    def test_a_currency_without_rate_is_refused_and_nothing_saved(self):
        unrated = self.env["res.currency"].create(
            {"name": "NRC", "symbol": "N", "full_name": "No Rate Crown"}
        )
        Order = self.env["sale.order"]
        count = Order.search_count([])
        with self.assertRaises(ValidationError) as caught:
            Order.create(
                {
                    "partner_id": self.customer.id,
                    "pricelist_id": self.pricelist.id,
                    "date_order": "2026-03-15 10:00:00",
                    "offer_currency_ids": [Command.set([unrated.id])],
                }
            )
        self.assertIn("no exchange rate of NRC", str(caught.exception))
        self.assertEqual(Order.search_count([]), count)
        order = self._offer()
        with self.assertRaises(ValidationError):
            order.offer_currency_ids = [Command.link(unrated.id)]
        self.assertEqual(order.offer_currency_ids, self.teu | self.tyn)
        self.assertEqual(len(order.offer_rate_ids), 2)

    def test_a_rate_date_before_any_rate_is_refused(self):
        order = self._offer()
        with self.assertRaises(ValidationError) as caught:
            order.offer_rate_date = date(2026, 2, 1)
        self.assertIn("on or before 2026-02-01", str(caught.exception))
        self.assertEqual(order.offer_rate_date, date(2026, 3, 15))

    def _report_html(self, order):
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "crm_offers_multicurrency.action_report_offer", order.ids
        )
        return html
