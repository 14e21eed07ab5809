from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_satisfaction_alert_threshold = fields.Integer(
        related="company_id.crm_satisfaction_alert_threshold", readonly=False
    )

    @api.constrains("crm_satisfaction_alert_threshold")
    def _check_crm_satisfaction_alert_threshold(self):
        for settings in self:
            if not 0 <= settings.crm_satisfaction_alert_threshold <= 5:
                raise ValidationError(
                    self.env._(
                        "The satisfaction alert threshold must be between 0 "
                        "(no alert) and 5."
                    )
                )
