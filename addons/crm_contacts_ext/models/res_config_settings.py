from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_occasion_reminder_days = fields.Integer(
        related="company_id.crm_occasion_reminder_days", readonly=False
    )

    @api.constrains("crm_occasion_reminder_days")
    def _check_crm_occasion_reminder_days(self):
        for settings in self:
            if not 0 <= settings.crm_occasion_reminder_days <= 60:
                raise ValidationError(
                    self.env._("Reminders can be sent 0 to 60 days before.")
                )
