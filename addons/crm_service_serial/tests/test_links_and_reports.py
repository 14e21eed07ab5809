from odoo import fields
from odoo.tests import tagged

from .common import ServiceCase


@tagged("post_install", "-at_install")
class TestLinksAndReports(ServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lot = cls._stock_serial(cls.espresso, "ESP-L-1")
        cls.order = cls._sell(cls.customer, cls.lot, fields.Date.today())
        cls.case = cls.env["crm.service.case"].create(
            {
                "partner_id": cls.customer.id,
                "product_id": cls.espresso.id,
                "lot_id": cls.lot.id,
                "cause_id": cls.env.ref("crm_service_serial.cause_defect").id,
                "user_id": cls.technician.id,
            }
        )

    def test_links_both_ways(self):
        meeting = self.env["calendar.event"].create(
            {
                "name": "Visit at the cafe",
                "start": "2026-05-05 09:00:00",
                "stop": "2026-05-05 10:00:00",
            }
        )
        self.case.link_ids = [
            fields.Command.create({"target": f"sale.order,{self.order.id}"}),
            fields.Command.create(
                {"target": f"calendar.event,{meeting.id}", "note": "trip"}
            ),
        ]
        self.assertEqual(self.order.service_link_case_ids, self.case)
        self.assertEqual(meeting.service_link_count, 1)
        action = meeting.action_view_linked_service_cases()
        self.assertEqual(
            self.env["crm.service.case"].search(action["domain"]), self.case
        )
        note = meeting.message_ids.filtered(
            lambda m: "Linked to service case" in (m.body or "")
        )
        self.assertIn(self.case.name, note.body)
        self.assertIn(
            ("sale.order", self.order.id),
            [(link.res_model, link.res_id) for link in self.case.link_ids],
        )

    def test_timeline_and_partner_card(self):
        events = self.env["crm.timeline.event"].search(
            [
                ("commercial_partner_id", "=", self.customer.id),
                ("kind", "=", "service_case"),
            ]
        )
        self.assertEqual(events.mapped("name"), [f"{self.case.name} ESP-L-1"])
        self.assertEqual(self.customer.service_case_count, 1)
        devices = self.customer.action_view_devices()
        self.assertEqual(self.env["stock.lot"].search(devices["domain"]), self.lot)
        self.assertEqual(self.lot.service_case_count, 1)

    def test_cost_report(self):
        Cost = self.env["crm.service.cost"]
        Cost.create(
            {
                "case_id": self.case.id,
                "name": "Labour",
                "quantity": 2,
                "unit_cost": 50.0,
            }
        )
        Cost.create(
            {
                "case_id": self.case.id,
                "name": "Trip",
                "cost_type": "travel",
                "quantity": 1,
                "unit_cost": 30.0,
                "charge_to": "customer",
            }
        )
        rows = self.env["crm.service.cost.report"]._read_group(
            [("case_id", "=", self.case.id)],
            ["product_id", "cause_id", "user_id"],
            ["amount:sum", "amount_company:sum", "amount_customer:sum"],
        )
        self.assertEqual(
            rows,
            [
                (
                    self.espresso,
                    self.env.ref("crm_service_serial.cause_defect"),
                    self.technician,
                    130.0,
                    100.0,
                    30.0,
                )
            ],
        )

    def test_labels_render(self):
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("crm_service_serial.report_device_label", self.lot.ids)[
                0
            ]
            .decode()
        )
        self.assertIn("<svg", html)
        self.assertIn("Espresso X200", html)
        ticket = (
            self.env["ir.actions.report"]
            ._render_qweb_html("crm_service_serial.report_case_ticket", self.case.ids)[
                0
            ]
            .decode()
        )
        self.assertIn(self.case.name, ticket)
        self.assertIn("<svg", ticket)
