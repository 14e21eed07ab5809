from odoo import Command
from odoo.tests import Form, tagged

from .common import CrmPartiesCase


@tagged("post_install", "-at_install")
class TestCommercialTerms(CrmPartiesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gold = cls.env["crm.discount.level"].create(
            {"name": "Test Gold", "discount_percent": 12.5}
        )
        cls.holding.discount_level_id = cls.gold

    def test_contacts_share_the_company_discount_level(self):
        self.assertEqual(self.anna.discount_level_id, self.gold)

    def test_new_sales_order_line_gets_the_discount(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.anna.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": 2}
                    )
                ],
            }
        )
        self.assertEqual(order.order_line.discount, 12.5)
        self.assertAlmostEqual(order.amount_untaxed, 175.0)

    def test_discount_typed_by_the_user_is_kept(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.holding.id,
                "order_line": [
                    Command.create({"product_id": self.product.id, "discount": 3.0})
                ],
            }
        )
        self.assertEqual(order.order_line.discount, 3.0)

    def test_customer_without_level_gets_no_discount(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.other.id,
                "order_line": [Command.create({"product_id": self.product.id})],
            }
        )
        self.assertEqual(order.order_line.discount, 0.0)

    def test_new_invoice_line_gets_the_discount(self):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.holding.id,
                "invoice_line_ids": [Command.create({"product_id": self.product.id})],
            }
        )
        self.assertEqual(invoice.invoice_line_ids.discount, 12.5)

    def test_invoice_form_applies_the_discount(self):
        with Form(
            self.env["account.move"].with_context(default_move_type="out_invoice")
        ) as invoice_form:
            invoice_form.partner_id = self.holding
            with invoice_form.invoice_line_ids.new() as line:
                line.product_id = self.product
        self.assertEqual(invoice_form.record.invoice_line_ids.discount, 12.5)

    def test_vendor_bill_gets_no_customer_discount(self):
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.holding.id,
                "invoice_date": "2026-01-01",
                "invoice_line_ids": [Command.create({"product_id": self.product.id})],
            }
        )
        self.assertEqual(bill.invoice_line_ids.discount, 0.0)

    def test_level_with_pricelist_sets_the_quotation_pricelist(self):
        # a shared level (like its partners) uses a shared pricelist
        pricelist = self.env["product.pricelist"].create(
            {"name": "Test Partners", "company_id": False}
        )
        self.gold.pricelist_id = pricelist
        order = self.env["sale.order"].create({"partner_id": self.anna.id})
        self.assertEqual(order.pricelist_id, pricelist)

    def test_negative_or_excessive_discount_is_refused(self):
        for value in (-5.0, 120.0):
            with self.assertRefused("between 0 and 100%"):
                self.env["crm.discount.level"].create(
                    {"name": "Bad", "discount_percent": value}
                )
        self.assertFalse(self.env["crm.discount.level"].search([("name", "=", "Bad")]))

    def test_credit_exposure_adds_orders_to_invoice(self):
        self.company.account_use_credit_limit = True
        order = self.env["sale.order"].create(
            {
                "partner_id": self.other.id,
                "order_line": [Command.create({"product_id": self.product.id})],
            }
        )
        order.action_confirm()
        self.other.invalidate_recordset()
        exposure = self.other.with_user(self.sales_manager).credit_exposure
        self.assertAlmostEqual(exposure, order.amount_total)
