from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_document_reminder_days = fields.Integer(
        related="company_id.crm_document_reminder_days", readonly=False
    )
    crm_document_max_size_mb = fields.Integer(
        related="company_id.crm_document_max_size_mb", readonly=False
    )
