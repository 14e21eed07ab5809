from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    crm_document_reminder_days = fields.Integer(
        string="Remind document deadlines (days before)", default=30
    )
    crm_document_max_size_mb = fields.Integer(
        string="Largest document file (MB)", default=25
    )
