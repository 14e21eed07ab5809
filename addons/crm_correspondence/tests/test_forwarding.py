from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CorrespondenceCase


@tagged("post_install", "-at_install")
class TestForwarding(CorrespondenceCase):
    def _assign(
        self, item, user=None, department=None, days=7, reason=False, as_user=None
    ):
        wizard = (
            self.env["crm.correspondence.assign"]
            .with_user(as_user or self.clerk)
            .create(
                {
                    "correspondence_id": item.id,
                    "user_id": user.id if user else False,
                    "department_id": department.id if department else False,
                    "deadline": fields.Date.context_today(self.env.user)
                    + timedelta(days=days),
                    "reason": reason,
                }
            )
        )
        wizard.action_confirm()
        return wizard

    def test_assign_then_forward_keeps_every_hop(self):
        letter = self._incoming()
        self._assign(letter, user=self.seller, reason="Offer request")
        self.assertEqual(letter.state, "assigned")
        self.assertEqual(letter.user_id, self.seller)
        self.assertEqual(letter.department_id, self.sales, "the assignee's department")
        self.assertEqual(
            letter.deadline,
            fields.Date.context_today(self.env.user) + timedelta(days=7),
        )
        activity = letter.activity_ids
        self.assertEqual(activity.user_id, self.seller)
        self.assertEqual(
            activity.activity_type_id, self.env.ref("crm_correspondence.activity_reply")
        )

        letter.with_user(self.seller).action_start()
        self.assertEqual(letter.state, "in_progress")
        # the seller passes it on to administration as a whole
        self._assign(
            letter,
            department=self.administration,
            days=3,
            reason="Billing",
            as_user=self.seller,
        )
        self.assertEqual(letter.state, "assigned")
        self.assertFalse(letter.user_id)
        self.assertEqual(letter.department_id, self.administration)
        hops = letter.forward_ids.sorted("id")
        self.assertEqual(len(hops), 2)
        self.assertEqual(
            [(h.from_user_id, h.user_id, h.department_id, h.reason) for h in hops],
            [
                (self.clerk, self.seller, self.sales, "Offer request"),
                (self.seller, self.env["res.users"], self.administration, "Billing"),
            ],
        )
        self.assertEqual(hops[1].from_department_id, self.sales)
        # the seller's activity is gone; the department's manager has one
        self.assertEqual(letter.activity_ids.user_id, self.admin_boss)

    def test_deadline_in_the_past_is_refused(self):
        letter = self._incoming()
        with self.assertRefused(UserError, "is in the past"):
            self._assign(letter, user=self.seller, days=-1)
        self.assertEqual(letter.state, "registered")
        self.assertFalse(letter.forward_ids)
        self.assertFalse(letter.activity_ids)

    def test_assignee_or_department_is_required(self):
        letter = self._incoming()
        with self.assertRefused(UserError, "Choose a person or a department"):
            letter._assign(
                self.env["res.users"],
                self.env["hr.department"],
                fields.Date.context_today(self.env.user),
            )

    def test_closed_item_cannot_be_forwarded(self):
        letter = self._incoming()
        letter.action_close()
        with self.assertRefused(UserError, "not possible now"):
            self._assign(letter, user=self.seller)

    def test_wizard_defaults(self):
        letter = self._incoming(department_id=self.administration.id)
        wizard = self.env["crm.correspondence.assign"].create(
            {"correspondence_id": letter.id}
        )
        self.assertEqual(
            wizard.deadline,
            fields.Date.context_today(self.env.user)
            + timedelta(days=self.company.crm_correspondence_reply_days),
        )
        self.assertEqual(wizard.department_id, self.administration)
        wizard.user_id = self.seller
        self.assertEqual(wizard.department_id, self.sales)
