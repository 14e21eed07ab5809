from odoo import fields
from odoo.tests import HttpCase, tagged

SERIAL = "SRV-TOUR-0001"
NEW_SERIAL = "SRV-TOUR-NEW-7"
CUSTOMER = "Tour Cafe Nadwislanski"
PRODUCT = "Tour Espresso T100"


@tagged("post_install", "-at_install")
class TestCrmServiceSerialUi(HttpCase):
    """The service desk scans devices in the browser (tours of
    static/tests/tours/crm_service_serial_tour.js)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock = cls.env.ref("stock.stock_location_stock")
        cls.espresso = cls.env["product.product"].create(
            {
                "name": PRODUCT,
                "is_storable": True,
                "tracking": "serial",
                "warranty_months": 24,
                "warranty_start": "delivery",
                "list_price": 600.0,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": CUSTOMER, "is_company": True}
        )

    def _sold_and_delivered(self, serial):
        """A device in stock, sold and delivered today to the customer (as
        ``ServiceCase._stock_serial`` and ``_sell`` of tests/common.py)."""
        lot = self.env["stock.lot"].create(
            {"name": serial, "product_id": self.espresso.id}
        )
        self.env["stock.quant"]._update_available_quantity(
            self.espresso, self.stock, 1, lot_id=lot
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    fields.Command.create(
                        {"product_id": self.espresso.id, "product_uom_qty": 1}
                    )
                ],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.move_line_ids.unlink()
        move = picking.move_ids
        self.env["stock.move.line"].create(
            {
                "move_id": move.id,
                "picking_id": picking.id,
                "product_id": self.espresso.id,
                "lot_id": lot.id,
                "quantity": 1,
                "location_id": self.stock.id,
                "location_dest_id": move.location_dest_id.id,
            }
        )
        move.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        return lot

    def test_scan_opens_the_device_case_once(self):
        """A scanned serial opens a pre-filled warranty case; scanned again,
        the same case."""
        lot = self._sold_and_delivered(SERIAL)
        self.assertEqual(lot.crm_owner_id, self.customer)
        self.assertEqual(lot.warranty_status, "in_warranty")

        self.start_tour("/odoo", "crm_service_serial_scan_tour", login="admin")

        self.env.invalidate_all()
        case = self.env["crm.service.case"].search([("lot_id", "=", lot.id)])
        self.assertEqual(len(case), 1, "scanned twice, one case")
        self.assertRegex(case.name, r"^SRV/\d{4}/")
        self.assertRecordValues(
            case,
            [
                {
                    "partner_id": self.customer.id,
                    "product_id": self.espresso.id,
                    "warranty_status": "in_warranty",
                    "case_type": "warranty",
                    "state": "new",
                }
            ],
        )
        self.assertIn("The pump is loud and no water comes out", case.problem)

    def test_unknown_serial_is_registered_and_gets_a_case(self):
        """An unknown serial is registered for the chosen product and its
        case opened for the chosen customer."""
        self.start_tour("/odoo", "crm_service_serial_register_tour", login="admin")

        self.env.invalidate_all()
        lot = self.env["stock.lot"].search([("name", "=", NEW_SERIAL)])
        self.assertEqual(len(lot), 1)
        self.assertEqual(lot.product_id, self.espresso)
        case = self.env["crm.service.case"].search([("lot_id", "=", lot.id)])
        self.assertEqual(len(case), 1)
        self.assertRegex(case.name, r"^SRV/\d{4}/")
        self.assertRecordValues(
            case,
            [
                {
                    "partner_id": self.customer.id,
                    "product_id": self.espresso.id,
                    "warranty_status": "unknown",
                    "case_type": "repair",
                    "state": "new",
                }
            ],
        )
        self.assertIn("Brought in without any paperwork", case.problem)
