from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ServiceCase


@tagged("post_install", "-at_install")
class TestBarcodeIntake(ServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lot = cls._stock_serial(cls.espresso, "ESP-S-1")
        cls._sell(cls.customer, cls.lot, fields.Date.today())
        cls.Scan = cls.env["crm.service.scan"].with_user(cls.technician)

    def _scan(self, code):
        scan = self.Scan.create({})
        scan.on_barcode_scanned(code)
        return scan

    def test_known_serial_opens_a_prefilled_case_once(self):
        scan = self._scan("ESP-S-1\r\n")
        self.assertEqual(scan.status, "found")
        self.assertEqual(scan.lot_id, self.lot)
        self.assertEqual(scan.owner_id, self.customer)
        self.assertEqual(scan.warranty_status, "in_warranty")
        action = scan.action_open_case()
        case = self.env["crm.service.case"].browse(action["res_id"])
        self.assertEqual(
            (
                case.lot_id,
                case.product_id,
                case.partner_id,
                case.case_type,
                case.warranty_status,
            ),
            (self.lot, self.espresso, self.customer, "warranty", "in_warranty"),
        )
        # the same device scanned again: its open case, not a second one
        again = self._scan("ESP-S-1").action_open_case()
        self.assertEqual(again["res_id"], case.id)
        self.assertEqual(
            self.env["crm.service.case"].search_count([("lot_id", "=", self.lot.id)]), 1
        )
        self.assertEqual(self._scan("ESP-S-1").open_case_id, case)

    def test_closed_case_does_not_block_a_new_one(self):
        first = self.env["crm.service.case"].browse(
            self._scan("ESP-S-1").action_open_case()["res_id"]
        )
        first.write({"rejection_reason": "duplicate"})
        first.action_reject()
        second = self._scan("ESP-S-1").action_open_case()["res_id"]
        self.assertNotEqual(second, first.id)

    def test_unknown_serial_is_registered(self):
        scan = self._scan("NEW-0001")
        self.assertEqual(scan.status, "unknown")
        with self.assertRefused(UserError, "is unknown"):
            scan.action_open_case()
        with self.assertRefused(UserError, "Choose the product"):
            scan.action_register()
        scan.write({"product_id": self.espresso.id, "partner_id": self.customer.id})
        action = scan.action_register()
        lot = self.env["stock.lot"].search([("name", "=", "NEW-0001")])
        self.assertEqual(lot.product_id, self.espresso)
        # no owner known yet: a new case form, pre-filled, nothing saved
        self.assertFalse(action.get("res_id"))
        self.assertEqual(action["context"]["default_lot_id"], lot.id)
        self.assertEqual(action["context"]["default_partner_id"], self.customer.id)
        self.assertFalse(self.env["crm.service.case"].search([("lot_id", "=", lot.id)]))

    def test_empty_and_garbled_scans_are_refused(self):
        with self.assertRefused(UserError, "The scan is empty"):
            self._scan("  \r\n").action_open_case()
        with self.assertRefused(UserError, "is not a serial number"):
            self._scan("ESP\x1b[2~S 1").action_open_case()
        with self.assertRefused(UserError, "is not a serial number"):
            self._scan("X" * 65).action_open_case()
        self.assertEqual(self._scan("ESP\x1b[2~S 1").status, "empty")

    def test_serial_shared_by_two_products(self):
        other = self.env["stock.lot"].create(
            {"name": "ESP-S-1", "product_id": self.printer.id}
        )
        scan = self._scan("ESP-S-1")
        self.assertEqual(scan.status, "several")
        with self.assertRefused(UserError, "several products"):
            scan.action_open_case()
        scan.lot_id = other
        action = scan.action_open_case()
        self.assertEqual(
            action["context"]["default_lot_id"], other.id, "no owner: form"
        )

    def test_scan_reads_the_device_with_its_search(self):
        # as from the web client (a tz in the context): the serials and
        # their facts in one statement, then the open case
        Scan = self.Scan.with_context(tz="Europe/Warsaw")
        self.assertFalse(Scan.new({"code": "ESP-S-1"}).open_case_id)  # warm caches
        self.env["stock.lot"].invalidate_model()
        with self.assertQueryCount(2):
            scan = Scan.new({"code": "ESP-S-1"})
            self.assertEqual(scan.lot_id, self.lot)
            self.assertEqual(scan.owner_id, self.customer)
            self.assertEqual(scan.warranty_status, "in_warranty")
            self.assertFalse(scan.open_case_id)
        # the same facts as the serial's own
        self.lot.invalidate_recordset()
        self.assertEqual(
            (scan.warranty_end_date, scan.owner_id),
            (self.lot.warranty_end_date, self.lot.crm_owner_id),
        )
