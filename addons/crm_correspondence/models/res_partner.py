from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    correspondence_count = fields.Integer(compute="_compute_correspondence_count")

    def _compute_correspondence_count(self):
        counts = self._count_per_company("crm.correspondence")
        for partner in self:
            partner.correspondence_count = counts[partner]

    def action_view_correspondence(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_correspondence.crm_correspondence_action"
        )
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
