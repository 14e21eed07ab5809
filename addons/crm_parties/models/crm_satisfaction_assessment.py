from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError

SATISFACTION_SCALE = (1, 5)


class CrmSatisfactionAssessment(models.Model):
    """A dated satisfaction assessment of a partner, on a 1-5 scale.

    The partner's current level and trend are computed from these. An
    assessment two levels below the previous one, or at or below the
    company's alert threshold, schedules an activity for the account owner.
    """

    _name = "crm.satisfaction.assessment"
    _description = "Satisfaction Assessment"
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('is_company', '=', True)]",
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    level = fields.Integer(
        required=True,
        default=3,
        aggregator="avg",
        help="1 = very dissatisfied ... 5 = very satisfied",
    )
    channel = fields.Selection(
        [
            ("phone", "Phone call"),
            ("email", "E-mail"),
            ("meeting", "Meeting"),
            ("visit", "Site visit"),
            ("survey", "Survey"),
            ("other", "Other"),
        ],
        required=True,
        default="phone",
    )
    comment = fields.Text()
    user_id = fields.Many2one(
        "res.users",
        string="Recorded by",
        required=True,
        default=lambda self: self.env.user,
    )
    company_id = fields.Many2one(
        "res.company", related="partner_id.company_id", store=True, index=True
    )

    @api.constrains("level")
    def _check_level(self):
        low, high = SATISFACTION_SCALE
        for assessment in self:
            if not low <= assessment.level <= high:
                raise ValidationError(
                    self.env._(
                        "The satisfaction level must be between %(low)s and "
                        "%(high)s, not %(level)s.",
                        low=low,
                        high=high,
                        level=assessment.level,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        assessments = super().create(vals_list)
        assessments._alert_on_drop()
        return assessments

    def _previous_assessment(self):
        self.ensure_one()
        return self.search(
            [
                ("partner_id", "=", self.partner_id.id),
                ("id", "!=", self.id),
                "|",
                ("date", "<", self.date),
                "&",
                ("date", "=", self.date),
                ("id", "<", self.id),
            ],
            order="date desc, id desc",
            limit=1,
        )

    def _alert_on_drop(self):
        """Schedule an activity for the account owner on a worrying assessment."""
        for assessment in self:
            partner = assessment.partner_id
            threshold = (
                partner.company_id or self.env.company
            ).crm_satisfaction_alert_threshold
            previous = assessment._previous_assessment()
            dropped = previous and previous.level - assessment.level >= 2
            if not (dropped or assessment.level <= threshold):
                continue
            if dropped:
                summary = self.env._(
                    "Satisfaction dropped from %(before)s to %(after)s",
                    before=previous.level,
                    after=assessment.level,
                )
            else:
                summary = self.env._(
                    "Satisfaction is low: %(level)s", level=assessment.level
                )
            owner = partner.user_id or assessment.user_id
            partner.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=summary,
                note=Markup("<p>%s</p>") % (assessment.comment or ""),
                user_id=owner.id,
            )
