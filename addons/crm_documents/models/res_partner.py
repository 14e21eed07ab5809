from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    crm_document_ids = fields.Many2many(
        "crm.document",
        "crm_document_res_partner_rel",
        "res_partner_id",
        "crm_document_id",
        string="Documents",
    )
    crm_document_count = fields.Integer(compute="_compute_crm_document_count")

    def _compute_crm_document_count(self):
        counts = dict(
            self.env["crm.document"]._read_group(
                [("partner_ids", "in", self.commercial_partner_id.ids)],
                ["partner_ids"],
                ["__count"],
            )
        )
        for partner in self:
            partner.crm_document_count = counts.get(partner.commercial_partner_id, 0)

    def action_open_documents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_documents.crm_document_action"
        )
        action["domain"] = [("partner_ids", "in", self.commercial_partner_id.ids)]
        action["context"] = {"default_partner_ids": self.commercial_partner_id.ids}
        return action
