from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ServiceCase


@tagged("post_install", "-at_install")
class TestWarranty(ServiceCase):
    def _facts(self, lot, on):
        return lot._device_facts(on)[lot.id]

    def test_from_delivery(self):
        lot = self._stock_serial(self.espresso, "ESP-W-1")
        order = self._sell(self.customer, lot, "2025-01-10")
        facts = self._facts(lot, date(2026, 6, 1))
        self.assertEqual(facts["owner_id"], self.customer.id)
        self.assertEqual(facts["sale_order_id"], order.id)
        self.assertEqual(facts["delivery_date"], date(2025, 1, 10))
        self.assertEqual(facts["warranty_start"], date(2025, 1, 10))
        self.assertEqual(facts["warranty_end"], date(2027, 1, 9))
        self.assertEqual(facts["warranty_status"], "in_warranty")
        self.assertEqual(
            self._facts(lot, date(2027, 1, 9))["warranty_status"], "in_warranty"
        )
        self.assertEqual(
            self._facts(lot, date(2027, 1, 10))["warranty_status"], "out_of_warranty"
        )
        # the same, read on the serial's form
        self.assertEqual(lot.crm_owner_id, self.customer)
        self.assertEqual(lot.warranty_end_date, date(2027, 1, 9))

    def test_from_invoice(self):
        lot = self._stock_serial(self.printer, "PRN-W-1")
        self._sell(self.customer, lot, "2025-01-10", invoiced_on="2025-03-01")
        facts = self._facts(lot, date(2026, 2, 28))
        self.assertEqual(facts["invoice_date"], date(2025, 3, 1))
        self.assertEqual(facts["warranty_start"], date(2025, 3, 1))
        self.assertEqual(facts["warranty_end"], date(2026, 2, 28))
        self.assertEqual(facts["warranty_status"], "in_warranty")
        self.assertEqual(
            self._facts(lot, date(2026, 3, 1))["warranty_status"], "out_of_warranty"
        )

    def test_not_invoiced_yet_falls_back_to_delivery(self):
        lot = self._stock_serial(self.printer, "PRN-W-2")
        self._sell(self.customer, lot, "2025-05-05")
        self.assertEqual(
            self._facts(lot, date(2025, 6, 1))["warranty_start"], date(2025, 5, 5)
        )

    def test_extended_warranty_sold_with_the_device(self):
        lot = self._stock_serial(self.espresso, "ESP-W-2")
        self._sell(self.customer, lot, "2025-01-10", extra_products=[self.extension])
        facts = self._facts(lot, date(2027, 6, 1))
        self.assertEqual(facts["warranty_end"], date(2027, 1, 9))
        self.assertEqual(facts["warranty_extended_end"], date(2028, 1, 9))
        self.assertEqual(facts["warranty_status"], "extended")
        self.assertEqual(
            self._facts(lot, date(2028, 1, 10))["warranty_status"], "out_of_warranty"
        )

    def test_extension_for_other_products_does_not_apply(self):
        self.extension.extended_warranty_product_ids = self.printer.product_tmpl_id
        lot = self._stock_serial(self.espresso, "ESP-W-3")
        self._sell(self.customer, lot, "2025-01-10", extra_products=[self.extension])
        self.assertFalse(self._facts(lot, date(2027, 6, 1))["warranty_extended_end"])

    def test_manual_dates_and_their_check(self):
        lot = self._stock_serial(self.espresso, "ESP-W-4")
        lot.write(
            {"warranty_start_manual": "2024-01-01", "warranty_end_manual": "2026-12-31"}
        )
        facts = self._facts(lot, date(2026, 12, 31))
        self.assertEqual(facts["warranty_start"], date(2024, 1, 1))
        self.assertEqual(facts["warranty_status"], "in_warranty")
        with self.assertRefused(ValidationError, "cannot end .* before it starts"):
            lot.warranty_end_manual = "2023-12-31"
        self.assertEqual(lot.warranty_end_manual, date(2026, 12, 31))

    def test_unknown_without_delivery(self):
        lot = self._stock_serial(self.espresso, "ESP-W-5")
        self.assertEqual(
            self._facts(lot, date(2026, 1, 1))["warranty_status"], "unknown"
        )
        self.assertFalse(lot.crm_owner_id)

    def test_bad_warranty_periods_are_refused(self):
        with self.assertRefused(ValidationError, "whole positive months"):
            self.extension.extended_warranty_months = 0

    def test_history_across_owners(self):
        lot = self._stock_serial(self.espresso, "ESP-W-6")
        second_owner = self.env["res.partner"].create({"name": "Second Owner"})
        self._sell(self.customer, lot, "2025-01-10")
        self._return(lot, "2025-06-01")
        self.assertFalse(self._facts(lot, date(2025, 7, 1))["owner_id"], "back with us")
        self._sell(second_owner, lot, "2025-07-01")
        facts = self._facts(lot, date(2025, 8, 1))
        self.assertEqual(facts["owner_id"], second_owner.id)
        self.assertEqual(len(facts["move_line_ids"]), 3)
        self.assertEqual(
            facts["warranty_start"],
            date(2025, 1, 10),
            "the warranty goes with the device",
        )
        self.assertEqual(
            lot.crm_ownership_ids.mapped("picking_partner_id"),
            self.customer | second_owner,
        )
