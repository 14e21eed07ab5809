from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_correspondence_reply_days = fields.Integer(
        related="company_id.crm_correspondence_reply_days", readonly=False
    )
    crm_correspondence_reminder_days = fields.Integer(
        related="company_id.crm_correspondence_reminder_days", readonly=False
    )

    @api.constrains("crm_correspondence_reply_days", "crm_correspondence_reminder_days")
    def _check_correspondence_days(self):
        for settings in self:
            if (
                settings.crm_correspondence_reply_days < 1
                or settings.crm_correspondence_reminder_days < 0
            ):
                raise ValidationError(
                    self.env._(
                        "The reply time must be at least one day and the reminder "
                        "cannot come after the deadline."
                    )
                )
