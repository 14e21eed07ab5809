from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from .common import CorrespondenceCase


@tagged("post_install", "-at_install")
class TestReport(CorrespondenceCase):
    def test_counts_handling_time_and_overdue_rate(self):
        today = fields.Date.context_today(self.env.user)
        on_time = self._incoming(
            date=today - timedelta(days=4), department_id=self.sales.id
        )
        on_time._assign(self.seller, self.sales, today)
        self.Item.create(
            {"direction": "outgoing", "subject": "Re", "reply_to_id": on_time.id}
        )
        late = self._incoming(
            date=today - timedelta(days=10), department_id=self.sales.id
        )
        late.write({"deadline": today - timedelta(days=2), "state": "assigned"})
        self._incoming(department_id=self.administration.id)

        Report = self.env["crm.correspondence.report"]
        groups = dict(
            (department, (count, handling, rate))
            for department, count, handling, rate in Report._read_group(
                [("department_id", "in", (self.sales | self.administration).ids)],
                ["department_id"],
                ["__count", "handling_days:avg", "overdue_rate:avg"],
            )
        )
        self.assertEqual(groups[self.sales], (2, 4.0, 50.0))
        self.assertEqual(groups[self.administration][0], 1)
        overdue = Report.search(
            [("is_overdue", "=", True), ("department_id", "=", self.sales.id)]
        )
        self.assertEqual(overdue.correspondence_id, late)

    def test_partner_card_counts_and_timeline(self):
        contact = self.env["res.partner"].create(
            {"name": "Writer's clerk", "parent_id": self.customer.id}
        )
        letter = self._incoming(partner_id=contact.id, subject="From the clerk")
        self._incoming(subject="From the firm")
        self.assertEqual(self.customer.correspondence_count, 2)
        self.assertEqual(contact.correspondence_count, 2)
        action = self.customer.action_view_correspondence()
        self.assertEqual(
            sorted(self.Item.search(action["domain"]).mapped("subject")),
            ["From the clerk", "From the firm"],
        )
        events = self.env["crm.timeline.event"].search(
            [("commercial_partner_id", "=", self.customer.id), ("kind", "=", "mail_in")]
        )
        self.assertIn(f"{letter.name} From the clerk", events.mapped("name"))
        self.assertEqual(len(events), 2)
        # a user without correspondence rights does not see the entries
        seller_only = new_test_user(
            self.env,
            login="corr_no_rights",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        hidden = (
            self.env["crm.timeline.event"]
            .with_user(seller_only)
            .search(
                [
                    ("commercial_partner_id", "=", self.customer.id),
                    ("kind", "=", "mail_in"),
                ]
            )
        )
        self.assertFalse(hidden)
