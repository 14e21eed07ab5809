from contextlib import contextmanager

from odoo import fields
from odoo.tests import TransactionCase, new_test_user


class ServiceCase(TransactionCase):
    """Devices sold and delivered through Odoo's own sales and stock:

    - an espresso machine: 24 months of warranty from delivery;
    - a printer: 12 months from the invoice date;
    - an extended warranty (12 more months) sold as a product.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True)
        )
        cls.company = cls.env.company
        cls.technician = new_test_user(
            cls.env,
            login="srv_technician",
            groups="crm_service_serial.group_service_user",
        )
        Product = cls.env["product.product"]
        cls.espresso = Product.create(
            {
                "name": "Espresso X200",
                "is_storable": True,
                "tracking": "serial",
                "warranty_months": 24,
                "warranty_start": "delivery",
                "standard_price": 300.0,
                "list_price": 600.0,
            }
        )
        cls.printer = Product.create(
            {
                "name": "Printer P5",
                "is_storable": True,
                "tracking": "serial",
                "warranty_months": 12,
                "warranty_start": "invoice",
                "invoice_policy": "order",
                "list_price": 400.0,
            }
        )
        cls.extension = Product.create(
            {
                "name": "Extended warranty +12",
                "type": "service",
                "is_extended_warranty": True,
                "extended_warranty_months": 12,
                "list_price": 80.0,
            }
        )
        cls.part = Product.create(
            {"name": "Pump", "is_storable": True, "standard_price": 45.0}
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Cafe Vistula",
                "is_company": True,
                "email": "cafe@vistula.example.com",
            }
        )
        cls.stock = cls.env.ref("stock.stock_location_stock")

    @contextmanager
    def assertRefused(self, exception, pattern):
        """Odoo's assertRaises (a savepoint: nothing half-written), then the text."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertRegex(str(caught.exception), pattern)

    @classmethod
    def _stock_serial(cls, product, serial):
        lot = cls.env["stock.lot"].create({"name": serial, "product_id": product.id})
        cls.env["stock.quant"]._update_available_quantity(
            product, cls.stock, 1, lot_id=lot
        )
        return lot

    @classmethod
    def _sell(cls, partner, lot, delivered_on, extra_products=(), invoiced_on=None):
        """Sell ``lot`` to ``partner`` and deliver it on ``delivered_on``."""
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    fields.Command.create(
                        {"product_id": product.id, "product_uom_qty": 1}
                    )
                    for product in (lot.product_id, *extra_products)
                ],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.move_line_ids.unlink()
        move = picking.move_ids.filtered(lambda m: m.product_id == lot.product_id)
        cls.env["stock.move.line"].create(
            {
                "move_id": move.id,
                "picking_id": picking.id,
                "product_id": lot.product_id.id,
                "lot_id": lot.id,
                "quantity": 1,
                "location_id": cls.stock.id,
                "location_dest_id": move.location_dest_id.id,
            }
        )
        picking.move_ids.picked = True
        picking.button_validate()
        picking.move_ids.move_line_ids.date = fields.Datetime.to_datetime(delivered_on)
        if invoiced_on:
            invoice = order._create_invoices()
            invoice.invoice_date = invoiced_on
            invoice.action_post()
        return order

    @classmethod
    def _return(cls, lot, returned_on):
        """The customer brings ``lot`` back (return of its last delivery)."""
        customer = cls.env.ref("stock.stock_location_customers")
        move = cls.env["stock.move"].create(
            {
                "name": "Return",
                "product_id": lot.product_id.id,
                "product_uom_qty": 1,
                "product_uom": lot.product_id.uom_id.id,
                "location_id": customer.id,
                "location_dest_id": cls.stock.id,
            }
        )
        move._action_confirm()
        move.move_line_ids.unlink()
        cls.env["stock.move.line"].create(
            {
                "move_id": move.id,
                "product_id": lot.product_id.id,
                "lot_id": lot.id,
                "quantity": 1,
                "location_id": customer.id,
                "location_dest_id": cls.stock.id,
            }
        )
        move.picked = True
        move._action_done()
        move.move_line_ids.date = fields.Datetime.to_datetime(returned_on)
