from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    crm_occasion_reminder_days = fields.Integer(
        string="Remind birthdays and name days (days before)",
        default=3,
        help="The owner of a contact gets an activity this many days before "
        "the contact's birthday or name day.",
    )
