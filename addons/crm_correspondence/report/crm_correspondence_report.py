from odoo import fields, models
from odoo.tools import SQL


class CrmCorrespondenceReport(models.Model):
    """Incoming mail handling per department: counts, handling time and
    overdue rate, computed live (an item becomes overdue with time)."""

    _name = "crm.correspondence.report"
    _description = "Correspondence Analysis"
    _auto = False
    _order = "date desc"
    _depends = {
        "crm.correspondence": [
            "company_id",
            "confidential",
            "date",
            "date_answered",
            "date_closed",
            "deadline",
            "department_id",
            "direction",
            "partner_id",
            "state",
            "user_id",
            "channel",
        ],
    }

    correspondence_id = fields.Many2one("crm.correspondence", readonly=True)
    date = fields.Date(readonly=True)
    department_id = fields.Many2one("hr.department", readonly=True)
    user_id = fields.Many2one("res.users", string="Assignee", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Correspondent", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    channel = fields.Selection(
        lambda self: self.env["crm.correspondence"]._fields["channel"].selection,
        readonly=True,
    )
    state = fields.Selection(
        lambda self: self.env["crm.correspondence"]._fields["state"].selection,
        readonly=True,
    )
    confidential = fields.Boolean(readonly=True)
    handling_days = fields.Float(
        string="Handling time (days)",
        aggregator="avg",
        readonly=True,
        help="Days from receipt to reply or closing; empty while open.",
    )
    is_overdue = fields.Boolean(string="Overdue", readonly=True)
    overdue_rate = fields.Float(
        string="Overdue rate (%)",
        aggregator="avg",
        readonly=True,
        help="Share of the items with a deadline that are past it unanswered, "
        "or were answered late.",
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT item.id, item.id AS correspondence_id, item.date,
                   item.department_id, item.user_id, item.partner_id,
                   item.company_id, item.channel, item.state, item.confidential,
                   COALESCE(item.date_answered, item.date_closed) - item.date
                       AS handling_days,
                   %(late)s AS is_overdue,
                   CASE WHEN item.deadline IS NULL THEN NULL
                        WHEN %(late)s THEN 100.0 ELSE 0.0 END AS overdue_rate
              FROM crm_correspondence item
             WHERE item.direction = 'incoming'
            """,
            late=SQL(
                """
                (item.deadline < COALESCE(item.date_answered, item.date_closed,
                                          CURRENT_DATE))
                """
            ),
        )
