from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    crm_satisfaction_alert_threshold = fields.Integer(
        string="Satisfaction alert threshold",
        default=2,
        help="An assessment at or below this level schedules an activity for "
        "the account owner (a drop of two levels always does).",
    )
