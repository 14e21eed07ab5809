from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    crm_correspondence_reply_days = fields.Integer(
        string="Default reply time (days)",
        default=14,
        help="The reply deadline given to an item routed without one.",
    )
    crm_correspondence_reminder_days = fields.Integer(
        string="Remind before deadline (days)",
        default=3,
        help="How many days before the reply deadline the assignee and their "
        "manager are reminded.",
    )
