from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CorrespondenceCase


@tagged("post_install", "-at_install")
class TestAccess(CorrespondenceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin_letter = cls._item(cls, "Administration letter", cls.administration)
        cls.sales_letter = cls._item(cls, "Sales letter", cls.sales)
        cls.secret = cls._item(
            cls, "Secret for administration", cls.administration, confidential=True
        )
        cls.secret_assigned = cls._item(
            cls,
            "Secret for the accountant",
            cls.administration,
            confidential=True,
            user=cls.accountant,
        )
        cls.other_company = cls.env["res.company"].create(
            {"name": "Correspondence Other Co"}
        )
        cls.foreign = cls.Item.create(
            {"subject": "Other company's letter", "company_id": cls.other_company.id}
        )
        cls.clerk.company_ids = [(4, cls.other_company.id)]

    def _item(self, subject, department, confidential=False, user=None):
        return self.Item.create(
            {
                "subject": subject,
                "department_id": department.id,
                "confidential": confidential,
                "user_id": user.id if user else False,
                "deadline": fields.Date.context_today(self.env.user),
            }
        )

    def _visible(self, user, companies=None):
        Item = self.Item.with_user(user)
        if companies:
            Item = Item.with_context(allowed_company_ids=companies.ids)
        return set(Item.search([("subject", "in", self._subjects)]).mapped("subject"))

    _subjects = [
        "Administration letter",
        "Sales letter",
        "Secret for administration",
        "Secret for the accountant",
        "Other company's letter",
    ]

    def test_department_users_see_their_department(self):
        self.assertEqual(
            self._visible(self.accountant),
            {"Administration letter", "Secret for the accountant"},
        )
        self.assertEqual(self._visible(self.seller), {"Sales letter"})

    def test_confidential_items_for_assignee_and_manager(self):
        self.assertEqual(
            self._visible(self.admin_boss),
            {
                "Administration letter",
                "Secret for administration",
                "Secret for the accountant",
            },
        )
        with self.assertRaises(AccessError):
            self.secret.with_user(self.accountant).read(["subject"])
        with self.assertRaises(AccessError):
            self.sales_letter.with_user(self.accountant).write({"subject": "changed"})
        self.assertEqual(self.sales_letter.subject, "Sales letter")

    def test_clerks_see_all_of_their_companies(self):
        self.assertEqual(
            self._visible(self.clerk, self.company),
            set(self._subjects) - {"Other company's letter"},
        )
        self.assertEqual(
            self._visible(self.clerk, self.company | self.other_company),
            set(self._subjects),
        )

    def test_forwarding_history_follows_the_item(self):
        self.admin_letter._assign(
            self.accountant,
            self.env["hr.department"],
            fields.Date.context_today(self.env.user),
        )
        self.sales_letter._assign(
            self.seller,
            self.env["hr.department"],
            fields.Date.context_today(self.env.user),
        )
        Forward = self.env["crm.correspondence.forward"]
        visible = Forward.with_user(self.accountant).search([])
        self.assertIn(self.admin_letter, visible.correspondence_id)
        self.assertNotIn(self.sales_letter, visible.correspondence_id)
        with self.assertRaises(AccessError):
            Forward.with_user(self.clerk).create(
                {
                    "correspondence_id": self.admin_letter.id,
                    "from_user_id": self.clerk.id,
                }
            )

    def test_moving_to_another_department_updates_access(self):
        employee = self.accountant.employee_id
        employee.department_id = self.sales
        self.assertEqual(
            self._visible(self.accountant),
            {"Sales letter", "Secret for the accountant"},
        )

    def test_people_outside_correspondence_see_nothing(self):
        outsider = new_test_user(
            self.env, login="corr_outsider", groups="base.group_user"
        )
        with self.assertRaises(AccessError):
            self.Item.with_user(outsider).search([])
