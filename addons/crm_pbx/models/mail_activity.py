from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        """A done call-back activity marks its missed call as called back, or,
        on a customer's card, all the missed calls of that customer."""
        call_back = self.env.ref("crm_pbx.mail_activity_type_call_back")
        done = self.filtered(lambda activity: activity.activity_type_id == call_back)
        call_ids = [a.res_id for a in done if a.res_model == "crm.pbx.call"]
        partner_ids = [a.res_id for a in done if a.res_model == "res.partner"]
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if call_ids or partner_ids:
            # the owner who called back may see the calls only through the
            # activity
            self.env["crm.pbx.call"].sudo().search(
                [
                    ("is_called_back", "=", False),
                    "|",
                    ("id", "in", call_ids),
                    "&",
                    ("partner_id", "in", partner_ids),
                    ("is_missed", "=", True),
                ]
            ).write({"is_called_back": True})
        return result
