from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        """A done call-back activity marks its missed call as called back."""
        call_back = self.env.ref("crm_pbx.mail_activity_type_call_back")
        call_ids = [
            activity.res_id
            for activity in self
            if activity.res_model == "crm.pbx.call"
            and activity.activity_type_id == call_back
        ]
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if call_ids:
            # the owner who called back may see the call only through the activity
            self.env["crm.pbx.call"].sudo().browse(call_ids).write(
                {"is_called_back": True}
            )
        return result
