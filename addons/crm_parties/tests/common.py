from contextlib import contextmanager

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, new_test_user


class CrmPartiesCase(TransactionCase):
    """A small holding and the people who work with it.

    Holding (owner: salesman)
    ├── Subsidiary (role: subsidiary)
    │   └── Branch (role: branch)
    └── Retail (role: subsidiary)
    Anna: staff of the holding; Other: a company outside the group.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True)
        )
        cls.company = cls.env.company
        cls.salesman = new_test_user(
            cls.env,
            login="crm_parties_salesman",
            groups="sales_team.group_sale_salesman",
            name="Sam Salesman",
        )
        cls.sales_manager = new_test_user(
            cls.env,
            login="crm_parties_manager",
            groups="sales_team.group_sale_manager",
            name="Mia Manager",
        )
        Partner = cls.env["res.partner"]
        cls.role_subsidiary = cls.env.ref("crm_parties.group_role_subsidiary")
        cls.role_branch = cls.env.ref("crm_parties.group_role_branch")
        cls.holding = Partner.create(
            {"name": "Test Holding", "is_company": True, "user_id": cls.salesman.id}
        )
        cls.subsidiary = Partner.create(
            {
                "name": "Test Subsidiary",
                "is_company": True,
                "group_parent_id": cls.holding.id,
                "group_role_id": cls.role_subsidiary.id,
            }
        )
        cls.branch = Partner.create(
            {
                "name": "Test Branch",
                "is_company": True,
                "group_parent_id": cls.subsidiary.id,
                "group_role_id": cls.role_branch.id,
            }
        )
        cls.retail = Partner.create(
            {
                "name": "Test Retail",
                "is_company": True,
                "group_parent_id": cls.holding.id,
                "group_role_id": cls.role_subsidiary.id,
            }
        )
        cls.anna = Partner.create(
            {"name": "Anna Staff", "parent_id": cls.holding.id, "function": "CFO"}
        )
        cls.other = Partner.create({"name": "Other Company", "is_company": True})
        cls.product = cls.env["product.product"].create(
            {"name": "Test Rack", "list_price": 100.0, "type": "consu"}
        )

    @contextmanager
    def assertRefused(self, pattern):
        """A ValidationError matching ``pattern``, with the transaction rolled back.

        (Odoo's assertRaises uses a savepoint; unittest's assertRaisesRegex not.)
        """
        with self.assertRaises(ValidationError) as caught:
            yield
        self.assertRegex(str(caught.exception), pattern)
