from itertools import pairwise

from odoo import api, fields, models
from odoo.exceptions import ValidationError

DEFAULT_AGING_BOUNDS = "30,60,90,120"


class ResCompany(models.Model):
    _inherit = "res.company"

    crm_satisfaction_alert_threshold = fields.Integer(
        string="Satisfaction alert threshold",
        default=2,
        help="An assessment at or below this level schedules an activity for "
        "the account owner (a drop of two levels always does).",
    )
    crm_aging_bounds = fields.Char(
        string="Aging bucket bounds",
        default=DEFAULT_AGING_BOUNDS,
        required=True,
        help="Last day of each overdue bucket, increasing, separated by commas: "
        "30,60,90,120 gives 1-30, 31-60, 61-90, 91-120 and over 120 days.",
    )
    crm_aging_bucket_ids = fields.One2many(
        "crm.aging.bucket", "company_id", string="Aging buckets"
    )

    @api.constrains("crm_aging_bounds")
    def _check_crm_aging_bounds(self):
        for company in self:
            company._crm_aging_parse_bounds()

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._crm_aging_sync_buckets()
        return companies

    def write(self, vals):
        result = super().write(vals)
        if "crm_aging_bounds" in vals:
            self._crm_aging_sync_buckets()
        return result

    def _crm_aging_parse_bounds(self):
        """The bounds as increasing positive integers, or a clear error."""
        self.ensure_one()
        text = (self.crm_aging_bounds or "").replace(";", ",")
        try:
            bounds = [int(part) for part in text.split(",") if part.strip()]
        except ValueError:
            raise ValidationError(
                self.env._(
                    "Aging bucket bounds must be whole numbers of days separated "
                    "by commas, e.g. 30,60,90,120 (got '%(bounds)s').",
                    bounds=self.crm_aging_bounds,
                )
            ) from None
        if not bounds:
            raise ValidationError(self.env._("Give at least one aging bucket bound."))
        if bounds[0] < 1:
            raise ValidationError(
                self.env._(
                    "The first aging bucket must end on day 1 or later, not "
                    "%(day)s: overdue days would be left out.",
                    day=bounds[0],
                )
            )
        for previous, bound in pairwise(bounds):
            if bound == previous:
                raise ValidationError(
                    self.env._(
                        "Two aging buckets end on day %(day)s: they would overlap.",
                        day=bound,
                    )
                )
            if bound < previous:
                raise ValidationError(
                    self.env._(
                        "Aging bucket bounds must increase: %(bound)s comes after "
                        "%(previous)s.",
                        bound=bound,
                        previous=previous,
                    )
                )
        return bounds

    def _crm_aging_sync_buckets(self):
        """(Re)make each company's buckets from its bounds."""
        Bucket = self.env["crm.aging.bucket"].sudo()
        Bucket.search([("company_id", "in", self.ids)]).unlink()
        Bucket.create(
            [
                vals
                for company in self
                for vals in Bucket._vals_for_bounds(
                    company, company._crm_aging_parse_bounds()
                )
            ]
        )
