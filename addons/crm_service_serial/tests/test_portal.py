from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import ServiceCase


@tagged("post_install", "-at_install")
class TestPortal(ServiceCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stranger = cls.env["res.partner"].create(
            {"name": "Other Cafe", "is_company": True}
        )
        own_lot = cls._stock_serial(cls.espresso, "ESP-P-1")
        other_lot = cls._stock_serial(cls.espresso, "ESP-P-2")
        cls._sell(cls.customer, own_lot, fields.Date.today())
        cls._sell(cls.stranger, other_lot, fields.Date.today())
        Case = cls.env["crm.service.case"]
        cls.own = Case.create(
            {
                "partner_id": cls.customer.id,
                "product_id": cls.espresso.id,
                "lot_id": own_lot.id,
            }
        )
        cls.other = Case.create(
            {
                "partner_id": cls.stranger.id,
                "product_id": cls.espresso.id,
                "lot_id": other_lot.id,
            }
        )
        contact = cls.env["res.partner"].create(
            {
                "name": "Cafe Manager",
                "parent_id": cls.customer.id,
                "email": "manager@vistula.example.com",
            }
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="srv_portal",
            groups="base.group_portal",
            partner_id=contact.id,
        )

    def test_customer_sees_only_the_cases_of_their_devices(self):
        Case = self.env["crm.service.case"].with_user(self.portal_user)
        self.assertEqual(Case.search([]), self.own)
        self.authenticate("srv_portal", "srv_portal")
        listing = self.url_open("/my/service")
        self.assertEqual(listing.status_code, 200)
        self.assertIn(self.own.name, listing.text)
        self.assertIn("ESP-P-1", listing.text)
        self.assertNotIn(self.other.name, listing.text)
        detail = self.url_open(f"/my/service/{self.own.id}")
        self.assertIn("ESP-P-1", detail.text)
        refused = self.url_open(f"/my/service/{self.other.id}", allow_redirects=False)
        self.assertEqual(refused.status_code, 303)
        self.assertNotIn("ESP-P-2", refused.text)
        home = self.url_open("/my/home")
        self.assertIn("Service cases", home.text)
