from odoo import fields, models


class CrmOccasionReminder(models.Model):
    """The reminders already sent: one per person, occasion and date.

    The unique key makes the daily job idempotent: run twice, or again after
    a missed day, it reminds each occasion once.
    """

    _name = "crm.occasion.reminder"
    _description = "Birthday and Name Day Reminder"
    _order = "occasion_date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade"
    )
    kind = fields.Selection(
        [("birthday", "Birthday"), ("name_day", "Name day")], required=True
    )
    occasion_date = fields.Date(required=True)
    activity_id = fields.Many2one("mail.activity", ondelete="set null")

    _sql_constraints = [
        (
            "occasion_uniq",
            "unique (partner_id, kind, occasion_date)",
            "This occasion was already reminded.",
        ),
    ]
