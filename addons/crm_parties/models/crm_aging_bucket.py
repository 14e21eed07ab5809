from odoo import api, fields, models
from odoo.tools import SQL


class CrmAgingBucket(models.Model):
    """A time bucket of the receivables aging, per company (derived data).

    The buckets are made from the company's bounds (``crm_aging_bounds``):
    ``not_due``, then one ``overdue`` bucket per range of days past the due
    date (the last one open-ended, ``days_to`` = 0), and ``credit`` for
    unapplied payments and credit notes. They exist as records so that the
    aging can be grouped by them, e.g. as the columns of a pivot.
    """

    _name = "crm.aging.bucket"
    _description = "Aging Bucket"
    _order = "company_id, sequence"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one("res.company", required=True, index=True)
    kind = fields.Selection(
        [
            ("not_due", "Not due"),
            ("overdue", "Overdue"),
            ("credit", "Unapplied credit"),
        ],
        required=True,
    )
    days_from = fields.Integer(string="From day")
    days_to = fields.Integer(string="To day", help="0: no upper bound")

    @api.model
    def _vals_for_bounds(self, company, bounds):
        """Bucket values for a company and its sorted upper bounds, e.g. (30, 60)."""
        env = self.with_context(lang=company.partner_id.lang or "en_US").env
        vals = [
            {"name": env._("Not due"), "kind": "not_due", "sequence": 1},
            {"name": env._("Unapplied credit"), "kind": "credit", "sequence": 99},
        ]
        lows = [1] + [bound + 1 for bound in bounds]
        highs = [*bounds, 0]
        for sequence, (low, high) in enumerate(zip(lows, highs, strict=True), start=2):
            vals.append(
                {
                    "name": f"{low}-{high}"
                    if high
                    else env._("Over %(days)s", days=low - 1),
                    "kind": "overdue",
                    "sequence": sequence,
                    "days_from": low,
                    "days_to": high,
                }
            )
        return [dict(v, company_id=company.id) for v in vals]

    @api.model
    def _per_company_query(self):
        """One row of buckets per company, for the reports' SQL.

        A row finds its overdue bucket by its days among the sorted lower
        bounds, ``overdue_ids[width_bucket(days, overdue_from)]`` (the buckets
        are made from the company's bounds, so they follow each other without
        gaps), instead of being joined to every bucket of its kind: such a
        join misleads PostgreSQL's estimates when a query filters on the
        bucket.
        """
        return SQL(
            """
            SELECT company_id,
                   MIN(id) FILTER (WHERE kind = 'not_due') AS not_due_id,
                   MIN(id) FILTER (WHERE kind = 'credit') AS credit_id,
                   ARRAY_AGG(id ORDER BY days_from)
                       FILTER (WHERE kind = 'overdue') AS overdue_ids,
                   ARRAY_AGG(days_from ORDER BY days_from)
                       FILTER (WHERE kind = 'overdue') AS overdue_from
              FROM crm_aging_bucket
             GROUP BY company_id
            """
        )
