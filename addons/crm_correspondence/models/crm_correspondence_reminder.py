from odoo import fields, models


class CrmCorrespondenceReminder(models.Model):
    """A deadline reminder sent: the log that makes the job idempotent."""

    _name = "crm.correspondence.reminder"
    _description = "Correspondence Deadline Reminder"
    _order = "create_date desc, id desc"

    correspondence_id = fields.Many2one(
        "crm.correspondence", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="correspondence_id.company_id", store=True)
    stage = fields.Selection(
        [("before", "Before the deadline"), ("overdue", "Overdue")], required=True
    )
    deadline = fields.Date(required=True)
    user_ids = fields.Many2many("res.users", string="Notified")

    _sql_constraints = [
        (
            "stage_uniq",
            "unique (correspondence_id, stage, deadline)",
            "This reminder was already sent.",
        ),
    ]
