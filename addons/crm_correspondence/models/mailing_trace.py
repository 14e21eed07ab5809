from odoo import models


class MailingTrace(models.Model):
    _inherit = "mailing.trace"

    def init(self):
        # The partner timeline reads a partner's traces: Odoo 18 has no
        # index on the traced record.
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS mailing_trace_res_id_model_index "
            "ON mailing_trace (res_id, model)"
        )
