from datetime import datetime

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ServiceCase


@tagged("post_install", "-at_install")
class TestCaseFlow(ServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # in warranty from 2026-01-15 to 2028-01-14; the other one ended in 2025
        cls.covered_lot = cls._stock_serial(cls.espresso, "ESP-F-1")
        cls._sell(cls.customer, cls.covered_lot, "2026-01-15")
        cls.old_lot = cls._stock_serial(cls.espresso, "ESP-F-2")
        cls._sell(cls.customer, cls.old_lot, "2023-01-01")
        cls.Case = cls.env["crm.service.case"].with_user(cls.technician)

    def _case(self, lot, **values):
        return self.Case.create(
            {
                "partner_id": self.customer.id,
                "product_id": lot.product_id.id,
                "lot_id": lot.id,
                **values,
            }
        )

    def test_number_warranty_and_sla_deadlines(self):
        with freeze_time("2026-03-02 08:00:00"):
            case = self._case(self.covered_lot, priority="3")
        self.assertTrue(case.name.startswith("SRV/"))
        self.assertEqual(case.warranty_computed, "in_warranty")
        self.assertEqual(case.warranty_status, "in_warranty")
        self.assertEqual(case.sla_response_deadline, datetime(2026, 3, 2, 12, 0))
        self.assertEqual(case.sla_resolution_deadline, datetime(2026, 3, 3, 8, 0))
        self.assertEqual(self._case(self.old_lot).warranty_status, "out_of_warranty")

    def test_flow_and_breached_service_level(self):
        with freeze_time("2026-03-02 08:00:00"):
            case = self._case(self.covered_lot, priority="3")
        with freeze_time("2026-03-02 10:00:00"):
            case.action_diagnose()
            self.assertFalse(case.sla_breached, "diagnosed in 2 hours of 4")
        self.assertEqual(case.state, "diagnosed")
        self.assertEqual(case.date_responded, datetime(2026, 3, 2, 10, 0))
        case.action_start_repair()
        case.action_wait_parts()
        case.action_start_repair()
        with self.assertRefused(UserError, "describe the resolution"):
            case.action_resolve()
        case.resolution = "<p>Pump replaced</p>"
        case.action_resolve()
        self.assertEqual(case.state, "resolved")
        self.assertTrue(case.sla_breached, "resolved long after 24 hours")
        self.assertIn(case, self.Case.search([("sla_breached", "=", True)]))
        case.action_close()
        self.assertEqual(case.state, "closed")
        with self.assertRefused(UserError, "cannot become"):
            case.action_start_repair()

    def test_reject_needs_a_reason(self):
        case = self._case(self.old_lot)
        with self.assertRefused(UserError, "reason for rejecting"):
            case.action_reject()
        case.rejection_reason = "Not our device"
        case.action_reject()
        self.assertEqual(case.state, "rejected")

    def test_override_needs_a_reason(self):
        case = self._case(self.old_lot)
        with self.assertRefused(ValidationError, "reason for overriding"):
            case.warranty_override = "in_warranty"
        case.write(
            {"warranty_override": "in_warranty", "warranty_override_reason": "Goodwill"}
        )
        self.assertEqual(case.warranty_status, "in_warranty")
        self.assertEqual(case.warranty_computed, "out_of_warranty")

    def test_serial_of_another_product_is_refused(self):
        with self.assertRefused(
            ValidationError, "belongs to Espresso X200, not to Printer P5"
        ):
            self.Case.create(
                {
                    "partner_id": self.customer.id,
                    "product_id": self.printer.id,
                    "lot_id": self.covered_lot.id,
                }
            )
        self.assertFalse(self.Case.search([("lot_id", "=", self.covered_lot.id)]))

    def test_repair_order_costs_and_split(self):
        case = self._case(self.covered_lot)
        action = case.action_create_repair()
        repair = self.env["repair.order"].browse(action["res_id"])
        self.assertEqual(repair.service_case_id, case)
        self.assertEqual(repair.lot_id, self.covered_lot)
        self.assertTrue(repair.under_warranty)
        self.env["stock.quant"]._update_available_quantity(self.part, self.stock, 5)
        repair.move_ids = [
            fields.Command.create(
                {
                    "product_id": self.part.id,
                    "product_uom_qty": 2,
                    "repair_line_type": "add",
                }
            )
        ]
        repair.action_repair_start()
        with self.assertRefused(UserError, "Finish or cancel the repair orders"):
            case.write({"resolution": "<p>done</p>", "state": "resolved"})
            case.action_close()
        repair.move_ids.quantity = 2
        repair.action_repair_end()
        self.assertEqual(repair.state, "done")
        part_cost = case.cost_ids.filtered(lambda c: c.cost_type == "part")
        self.assertEqual(
            (part_cost.quantity, part_cost.unit_cost, part_cost.amount), (2, 45.0, 90.0)
        )
        self.assertEqual(part_cost.charge_to, "company", "under warranty")
        case._sync_repair_parts()
        self.assertEqual(len(case.cost_ids), 1, "each part costed once")
        case.cost_ids = [
            fields.Command.create(
                {
                    "cost_type": "labour",
                    "name": "1.5 h",
                    "quantity": 1.5,
                    "unit_cost": 100.0,
                }
            ),
            fields.Command.create(
                {
                    "cost_type": "travel",
                    "name": "Trip",
                    "quantity": 1,
                    "unit_cost": 40.0,
                    "charge_to": "customer",
                }
            ),
        ]
        self.assertEqual(
            (case.cost_company, case.cost_customer, case.cost_total),
            (240.0, 40.0, 280.0),
        )
        self.assertEqual(self.covered_lot.service_cost_total, 280.0)
        self.assertEqual(self.covered_lot.repair_part_ids.product_id, self.part)

    def test_out_of_warranty_costs_go_to_the_customer(self):
        case = self._case(self.old_lot)
        cost = self.env["crm.service.cost"].create(
            {"case_id": case.id, "name": "Labour", "quantity": 2, "unit_cost": 50.0}
        )
        self.assertEqual(cost.charge_to, "customer")
        with self.assertRefused(ValidationError, "positive"):
            cost.unit_cost = -5
        case.write(
            {"warranty_override": "in_warranty", "warranty_override_reason": "Goodwill"}
        )
        self.assertEqual(cost.charge_to, "company")
        self.assertEqual(case.cost_company, 100.0)
        repair = self.env["repair.order"].browse(case.action_create_repair()["res_id"])
        self.assertTrue(repair.under_warranty)
