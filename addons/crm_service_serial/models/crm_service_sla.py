from odoo import api, fields, models
from odoo.exceptions import ValidationError

PRIORITIES = [("0", "Low"), ("1", "Normal"), ("2", "High"), ("3", "Urgent")]


class CrmServiceSla(models.Model):
    """Response and resolution times per priority (and team, optionally)."""

    _name = "crm.service.sla"
    _description = "Service Level Agreement"
    _order = "company_id, team_id, priority desc"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    team_id = fields.Many2one(
        "crm.service.team",
        check_company=True,
        help="Empty for every team without a target of its own.",
    )
    priority = fields.Selection(PRIORITIES, required=True, default="1")
    response_hours = fields.Float(required=True, help="Hours to the diagnosis.")
    resolution_hours = fields.Float(required=True, help="Hours to the resolution.")

    _sql_constraints = [
        (
            "priority_uniq",
            "unique (company_id, team_id, priority)",
            "There is already a target for this priority.",
        ),
    ]

    @api.constrains("response_hours", "resolution_hours")
    def _check_hours(self):
        for sla in self:
            if not 0 < sla.response_hours <= sla.resolution_hours:
                raise ValidationError(
                    self.env._(
                        "The response time must be positive and not longer than "
                        "the resolution time."
                    )
                )

    @api.model
    def _for(self, company, team, priority):
        """The target of a case: the team's own, else the company's."""
        targets = self.search(
            [
                ("company_id", "=", company.id),
                ("priority", "=", priority),
                ("team_id", "in", [team.id, False]),
            ]
        )
        return targets.filtered("team_id")[:1] or targets[:1]
