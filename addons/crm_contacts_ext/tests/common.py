from contextlib import contextmanager

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, new_test_user


class CrmContactsCase(TransactionCase):
    """Persons, companies and the users who own them.

    PESELs used (valid checksums): 85051212307 (F, 1985-05-12),
    79110345619 (M, 1979-11-03), 03222878903 (F, 2003-02-28, a 2000s birth),
    99923101213 (M, 1899-12-31, an 1800s birth).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True)
        )
        cls.owner = new_test_user(
            cls.env, login="crm_contacts_owner", groups="sales_team.group_sale_salesman"
        )
        cls.gdpr_officer = new_test_user(
            cls.env,
            login="crm_contacts_gdpr",
            groups="sales_team.group_sale_salesman,crm_contacts_ext.group_pesel,"
            "base.group_allow_export",
        )
        Partner = cls.env["res.partner"]
        cls.acme = Partner.create({"name": "Acme Sp. z o.o.", "is_company": True})
        cls.globex = Partner.create({"name": "Globex S.A.", "is_company": True})
        cls.anna = Partner.create({"name": "Anna Kowalska", "user_id": cls.owner.id})

    @contextmanager
    def assertRefused(self, pattern):
        """A ValidationError matching ``pattern``, rolled back (Odoo's assertRaises)."""
        with self.assertRaises(ValidationError) as caught:
            yield
        self.assertRegex(str(caught.exception), pattern)
