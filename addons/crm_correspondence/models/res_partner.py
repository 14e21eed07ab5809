from collections import defaultdict

from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    correspondence_ids = fields.One2many("crm.correspondence", "partner_id")
    correspondence_count = fields.Integer(compute="_compute_correspondence_count")

    def _compute_correspondence_count(self):
        commercial_partners = self.commercial_partner_id
        counts = self.env["crm.correspondence"]._read_group(
            [("partner_id", "child_of", commercial_partners.ids)],
            ["partner_id"],
            ["__count"],
        )
        per_commercial = defaultdict(int)
        for correspondent, count in counts:
            per_commercial[correspondent.commercial_partner_id] += count
        for partner in self:
            partner.correspondence_count = per_commercial[partner.commercial_partner_id]

    def action_view_correspondence(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_correspondence.crm_correspondence_action"
        )
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
