from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmEmployment(models.Model):
    """A person's job at a company over time.

    The primary current employment is the person's Odoo parent ("works
    at"): creating, changing or ending employments keeps ``parent_id`` in
    step with it.
    """

    _name = "crm.employment"
    _description = "Employment"
    _order = "date_to desc nulls first, date_from desc, id desc"
    _check_company_auto = True

    person_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('is_company', '=', False)]",
    )
    employer_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        ondelete="restrict",
        domain="[('is_company', '=', True)]",
    )
    job_title = fields.Char(string="Job position")
    department = fields.Char()
    date_from = fields.Date(string="From")
    date_to = fields.Date(string="To")
    is_primary = fields.Boolean(string="Primary employer", default=True)
    is_current = fields.Boolean(
        string="Current", compute="_compute_is_current", search="_search_is_current"
    )
    company_id = fields.Many2one(related="person_id.company_id", store=True)

    @api.depends("date_from", "date_to")
    def _compute_is_current(self):
        today = fields.Date.context_today(self)
        for job in self:
            job.is_current = (not job.date_from or job.date_from <= today) and (
                not job.date_to or job.date_to >= today
            )

    def _search_is_current(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Unsupported search on 'Current'."))
        today = fields.Date.context_today(self)
        current = [
            "&",
            "|",
            ("date_from", "=", False),
            ("date_from", "<=", today),
            "|",
            ("date_to", "=", False),
            ("date_to", ">=", today),
        ]
        if (operator == "=") == value:
            return current
        return ["|", ("date_from", ">", today), ("date_to", "<", today)]

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for job in self:
            if job.date_from and job.date_to and job.date_to < job.date_from:
                raise ValidationError(
                    self.env._(
                        "The employment of %(person)s at %(company)s ends "
                        "(%(end)s) before it starts (%(start)s).",
                        person=job.person_id.name,
                        company=job.employer_id.name,
                        end=job.date_to,
                        start=job.date_from,
                    )
                )

    @api.constrains("is_primary", "date_from", "date_to", "person_id")
    def _check_primary_overlap(self):
        for job in self.filtered("is_primary"):
            for other in job.person_id.employment_ids - job:
                if other.is_primary and job._overlaps(other):
                    raise ValidationError(
                        self.env._(
                            "%(person)s cannot have two primary employers at "
                            "the same time: %(first)s and %(second)s overlap.",
                            person=job.person_id.name,
                            first=job.employer_id.name,
                            second=other.employer_id.name,
                        )
                    )

    def _overlaps(self, other):
        start, end = self.date_from or fields.Date.to_date("0001-01-01"), self.date_to
        o_start, o_end = (
            other.date_from or fields.Date.to_date("0001-01-01"),
            other.date_to,
        )
        return (not end or o_start <= end) and (not o_end or start <= o_end)

    @api.model_create_multi
    def create(self, vals_list):
        jobs = super().create(vals_list)
        jobs.person_id._sync_parent_with_employment()
        return jobs

    def write(self, vals):
        persons = self.person_id
        result = super().write(vals)
        (persons | self.person_id)._sync_parent_with_employment()
        return result

    def unlink(self):
        persons = self.person_id
        result = super().unlink()
        persons.exists()._sync_parent_with_employment()
        return result
