from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .common import CorrespondenceCase


@tagged("post_install", "-at_install")
class TestReminders(CorrespondenceCase):
    def _notified(self, item):
        """Partners notified by the reminder messages of ``item``."""
        messages = self.env["mail.message"].search(
            [
                ("model", "=", item._name),
                ("res_id", "=", item.id),
                ("message_type", "=", "notification"),
            ]
        )
        return messages, messages.partner_ids

    def test_before_overdue_and_idempotent(self):
        self.company.crm_correspondence_reminder_days = 3
        today = fields.Date.context_today(self.env.user)
        letter = self._incoming()
        letter._assign(
            self.accountant, self.env["hr.department"], today + timedelta(days=10)
        )
        far = self._incoming()
        far._assign(self.seller, self.env["hr.department"], today + timedelta(days=30))
        Item = self.env["crm.correspondence"]

        Item._cron_deadline_reminders()
        self.assertFalse(self._notified(letter)[0], "10 days ahead: not yet")

        with freeze_time(today + timedelta(days=8)):
            Item._cron_deadline_reminders()
            Item._cron_deadline_reminders()
        messages, partners = self._notified(letter)
        self.assertEqual(len(messages), 1, "once, however often the job runs")
        self.assertIn("must be answered by", messages.body)
        self.assertEqual(partners, (self.accountant | self.admin_boss).partner_id)
        self.assertEqual(letter.reminder_ids.stage, "before")
        self.assertFalse(self._notified(far)[0])

        with freeze_time(today + timedelta(days=11)):
            Item._cron_deadline_reminders()
            Item._cron_deadline_reminders()
        messages, partners = self._notified(letter)
        self.assertEqual(len(messages), 2)
        self.assertIn("is overdue", messages.sorted("id")[-1].body)
        self.assertEqual(
            sorted(letter.reminder_ids.mapped("stage")), ["before", "overdue"]
        )

    def test_new_deadline_starts_over_and_answered_items_are_quiet(self):
        today = fields.Date.context_today(self.env.user)
        letter = self._incoming()
        letter._assign(
            self.seller, self.env["hr.department"], today + timedelta(days=1)
        )
        answered = self._incoming()
        answered._assign(
            self.seller, self.env["hr.department"], today + timedelta(days=1)
        )
        answered.action_close()
        Item = self.env["crm.correspondence"]
        Item._cron_deadline_reminders()
        self.assertEqual(len(self._notified(letter)[0]), 1)
        self.assertEqual(
            self._notified(letter)[1], (self.seller | self.sales_boss).partner_id
        )
        self.assertFalse(self._notified(answered)[0])
        # forwarded with a new deadline: reminded again for that one
        letter._assign(
            self.accountant, self.env["hr.department"], today + timedelta(days=2)
        )
        Item._cron_deadline_reminders()
        self.assertEqual(len(self._notified(letter)[0]), 2)

    def test_department_only_item_reminds_its_manager(self):
        letter = self._incoming()
        letter._assign(
            self.env["res.users"], self.sales, fields.Date.context_today(self.env.user)
        )
        self.env["crm.correspondence"]._cron_deadline_reminders()
        self.assertEqual(self._notified(letter)[1], self.sales_boss.partner_id)
        self.assertTrue(letter.activity_ids.user_id == self.sales_boss)
