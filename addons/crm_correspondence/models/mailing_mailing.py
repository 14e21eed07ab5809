from odoo import fields, models


class MailingMailing(models.Model):
    _inherit = "mailing.mailing"

    crm_segment_id = fields.Many2one(
        "crm.marketing.segment",
        string="Segment",
        index="btree_not_null",
        ondelete="set null",
    )
