from odoo import fields, models


class CrmDocumentReminder(models.Model):
    """Reminders sent, one per document, milestone and date (idempotence)."""

    _name = "crm.document.reminder"
    _description = "Document Reminder"

    document_id = fields.Many2one(
        "crm.document", required=True, index=True, ondelete="cascade"
    )
    milestone = fields.Selection(
        [("notice", "Notice date"), ("end", "End of validity")], required=True
    )
    date = fields.Date(required=True)

    _sql_constraints = [
        (
            "reminder_uniq",
            "unique (document_id, milestone, date)",
            "This reminder was already sent.",
        ),
    ]
