from datetime import date, timedelta

from odoo.tests import HttpCase, new_test_user, tagged

SUBJECT = "Tour: request for quotation"
SENDER = "Tour Sender Sp. z o.o."


@tagged("post_install", "-at_install")
class TestCrmCorrespondenceUi(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sales = cls.env.ref("hr.dep_sales")
        cls.rd = cls.env.ref("hr.dep_rd")
        cls.marc = cls.env.ref("base.user_demo")
        # The demo manager of Sales has no login: give them one, so that an
        # item forwarded to the department without a person reaches them.
        cls.sales_manager = new_test_user(
            cls.env,
            login="corr_tour_sales_manager",
            name="Sales Manager",
            groups="crm_correspondence.group_correspondence_user",
        )
        cls.sales.manager_id.user_id = cls.sales_manager

    def test_incoming_tour(self):
        """A letter from a new sender is registered, assigned, then forwarded."""
        self.assertEqual(self.marc.employee_id.department_id, self.rd)
        self.start_tour("/odoo", "crm_correspondence_incoming_tour", login="admin")

        self.env.invalidate_all()
        item = self.env["crm.correspondence"].search([("subject", "=", SUBJECT)])
        self.assertEqual(len(item), 1)
        self.assertEqual(item.direction, "incoming")
        self.assertTrue(item.name.startswith(f"IN/{item.date.year}/"), item.name)
        self.assertEqual(item.channel, "courier")
        self.assertEqual(item.reference_theirs, "TOUR-1")

        sender = self.env["res.partner"].search([("name", "=", SENDER)])
        self.assertEqual(len(sender), 1, "the sender was created on the fly")
        self.assertEqual(item.partner_id, sender)

        self.assertEqual(item.state, "assigned")
        self.assertEqual(item.department_id, self.sales)
        self.assertFalse(item.user_id)

        admin = self.env.ref("base.user_admin")
        self.assertEqual(len(item.forward_ids), 2)
        assignment, forwarding = item.forward_ids.sorted("id")
        self.assertRecordValues(
            assignment,
            [
                {
                    "from_user_id": admin.id,
                    "user_id": self.marc.id,
                    "department_id": self.rd.id,
                    "reason": "Please prepare the quotation",
                }
            ],
        )
        # typed in the dialog: ten days after the browser's today (the
        # machine's, as the server's date.today(); the registration date is
        # the user's, another day in the user's time zone late at night)
        self.assertEqual(assignment.deadline, date.today() + timedelta(days=10))
        self.assertRecordValues(
            forwarding,
            [
                {
                    "from_user_id": admin.id,
                    "from_department_id": self.rd.id,
                    "user_id": False,
                    "department_id": self.sales.id,
                    "deadline": assignment.deadline,
                    "reason": "Sales handles quotations",
                }
            ],
        )
        self.assertEqual(item.deadline, assignment.deadline)

        # Marc's activity went with the item; the manager of Sales has it now.
        activity = item.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.sales_manager)
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("crm_correspondence.activity_reply"),
        )
        self.assertEqual(activity.date_deadline, assignment.deadline)
        self.assertIn("Sales handles quotations", activity.note)
