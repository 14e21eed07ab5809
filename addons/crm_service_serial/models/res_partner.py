from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    service_case_count = fields.Integer(compute="_compute_service_case_count")

    def _compute_service_case_count(self):
        counts = self._count_per_company("crm.service.case")
        for partner in self:
            partner.service_case_count = counts[partner]

    def action_view_service_cases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_service_serial.crm_service_case_action"
        )
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def action_view_devices(self):
        """The serial numbers delivered to this customer."""
        self.ensure_one()
        lots = (
            self.env["stock.move.line"]
            .search(
                [
                    ("lot_id", "!=", False),
                    ("state", "=", "done"),
                    ("location_dest_id.usage", "=", "customer"),
                    ("picking_partner_id", "child_of", self.commercial_partner_id.id),
                ]
            )
            .lot_id
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Devices"),
            "res_model": "stock.lot",
            "view_mode": "list,form",
            "domain": [("id", "in", lots.ids)],
        }
