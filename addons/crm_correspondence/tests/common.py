from contextlib import contextmanager

from odoo.tests import TransactionCase, new_test_user


class CorrespondenceCase(TransactionCase):
    """Two departments of one company, with people in them:

        Administration (manager: admin_boss)      Sales (manager: sales_boss)
          admin_clerk (registry clerk)              seller (department user)
          accountant (department user)

    and a mailbox ``office@crm-test.example.com`` filing into Administration.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True)
        )
        cls.company = cls.env.company
        user_group = "crm_correspondence.group_correspondence_user"
        cls.clerk = new_test_user(
            cls.env,
            login="corr_clerk",
            groups="crm_correspondence.group_correspondence_clerk",
        )
        cls.accountant = new_test_user(
            cls.env, login="corr_accountant", groups=user_group
        )
        cls.admin_boss = new_test_user(
            cls.env, login="corr_admin_boss", groups=user_group
        )
        cls.seller = new_test_user(cls.env, login="corr_seller", groups=user_group)
        cls.sales_boss = new_test_user(
            cls.env, login="corr_sales_boss", groups=user_group
        )
        # One time zone for all, so that "today" is one day for every user
        # whatever the hour the tests run at (deadlines are the user's days).
        (
            cls.clerk | cls.accountant | cls.admin_boss | cls.seller | cls.sales_boss
        ).tz = cls.env.user.tz
        Employee = cls.env["hr.employee"]
        boss_admin = Employee.create(
            {"name": "Admin Boss", "user_id": cls.admin_boss.id}
        )
        boss_sales = Employee.create(
            {"name": "Sales Boss", "user_id": cls.sales_boss.id}
        )
        Department = cls.env["hr.department"]
        cls.administration = Department.create(
            {"name": "Test Administration", "manager_id": boss_admin.id}
        )
        cls.sales = Department.create(
            {"name": "Test Sales", "manager_id": boss_sales.id}
        )
        boss_admin.department_id = cls.administration
        boss_sales.department_id = cls.sales
        Employee.create(
            [
                {
                    "name": "Clerk",
                    "user_id": cls.clerk.id,
                    "department_id": cls.administration.id,
                    "parent_id": boss_admin.id,
                },
                {
                    "name": "Accountant",
                    "user_id": cls.accountant.id,
                    "department_id": cls.administration.id,
                    "parent_id": boss_admin.id,
                },
                {
                    "name": "Seller",
                    "user_id": cls.seller.id,
                    "department_id": cls.sales.id,
                    "parent_id": boss_sales.id,
                },
            ]
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Letter Writer Ltd",
                "is_company": True,
                "email": "office@writer.example.com",
            }
        )
        cls.Item = cls.env["crm.correspondence"]

    @contextmanager
    def assertRefused(self, exception, pattern):
        """Odoo's assertRaises (a savepoint: nothing half-written), then the text."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertRegex(str(caught.exception), pattern)

    def _incoming(self, **values):
        return self.Item.with_user(self.clerk).create(
            {"subject": "A letter", "partner_id": self.customer.id, **values}
        )
