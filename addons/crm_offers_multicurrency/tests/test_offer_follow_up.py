from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import OfferCase


@tagged("post_install", "-at_install")
class TestOfferFollowUp(OfferCase):
    def test_expired_offer_without_answer_gets_one_activity(self):
        with freeze_time("2026-03-20"):
            sent = self._offer()
            sent.action_quotation_sent()
            draft = self._offer()
        with freeze_time("2026-04-10"):
            self.env["sale.order"]._cron_offer_expired()
            self.env["sale.order"]._cron_offer_expired()
        self.assertEqual(len(sent.activity_ids), 1)
        self.assertEqual(sent.activity_ids.user_id, self.salesman)
        self.assertIn("expired", sent.activity_ids.summary)
        self.assertFalse(draft.activity_ids)

    @freeze_time("2026-03-20")
    def test_analysis_by_profile_variant_and_outcome(self):
        won = self._offer()
        won.offer_variant_ids[1].action_accept()
        self._offer()
        rows = self.env["crm.offer.analysis"].search(
            [("profile_id", "=", self.profile.id)]
        )
        self.assertEqual(len(rows), 2)
        won_row = rows.filtered(lambda row: row.order_id == won)
        self.assertEqual(won_row.state, "won")
        self.assertEqual(won_row.variant_name, "Premium")
        self.assertEqual(won_row.variant_count, 2)
        self.assertEqual(won_row.amount, 282.0)
        # OCR is rated 2: the company currency value is half
        self.assertEqual(won_row.amount_company, 141.0)
        [group] = self.env["crm.offer.analysis"]._read_group(
            [("profile_id", "=", self.profile.id)],
            ["profile_id"],
            ["won_percent:avg", "amount_company:sum"],
        )
        self.assertEqual(group[1], 50.0)
        self.assertEqual(group[2], 141.0 + 105.0)

    @freeze_time("2026-03-20")
    def test_sent_offer_on_the_partner_timeline(self):
        order = self._offer()
        Event = self.env["crm.timeline.event"]
        self.assertFalse(
            Event.search([("res_id", "=", order.id), ("kind", "=", "offer")])
        )
        order.action_quotation_sent()
        event = Event.search(
            [
                ("commercial_partner_id", "=", self.customer.id),
                ("kind", "=", "offer"),
            ]
        )
        self.assertEqual(event.res_id, order.id)
        self.assertEqual(event.date.date(), date(2026, 3, 20))
        self.assertIn("Test Export", event.name)
        self.assertIn("Basic: 210.00 OCR", event.body)
        self.assertIn("Premium: 282.00 OCR", event.body)
        # the salesperson sees it, as they see the offer
        self.assertEqual(
            Event.with_user(self.salesman).search([("kind", "=", "offer")]), event
        )
