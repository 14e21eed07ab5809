from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index


class CrmAgingLine(models.Model):
    """The open receivable items of the customers, as of a date (read-only).

    One row per posted receivable journal item still open on the as-of date
    (``aging_date`` in the context, default today; ``aging_partner_ids``
    narrows it to some customers): its open amount is the
    residual of today plus what was reconciled after that date, so an
    invoice paid later counts as open, as accountants expect (reconciliation
    dates, ``account.partial.reconcile.max_date``). Negative amounts are
    unapplied payments and credit notes. Each row falls in one of its
    company's buckets, so the aging is a ``_read_group`` by partner,
    salesperson or bucket, and a pivot cell drills down to its items.

    Only the unreconciled items and those touched by a reconciliation after
    the date are read: set-based, with the indexes of ``init()``.

    The rows depend on the context: read them in one context at a time
    (``invalidate_model()`` between two dates in one transaction).
    """

    _name = "crm.aging.line"
    _description = "Receivables Aging"
    _auto = False
    _order = "partner_id, date_maturity, id"
    _rec_name = "move_name"
    # flushed before the view is read
    _depends = {
        "account.move.line": [
            "account_id",
            "amount_residual",
            "amount_residual_currency",
            "balance",
            "amount_currency",
            "company_id",
            "currency_id",
            "date",
            "date_maturity",
            "move_id",
            "parent_state",
            "partner_id",
            "reconciled",
        ],
        "account.partial.reconcile": [
            "amount",
            "credit_amount_currency",
            "credit_move_id",
            "debit_amount_currency",
            "debit_move_id",
            "max_date",
        ],
        "account.move": ["invoice_user_id", "move_type", "name"],
        "res.partner": ["user_id"],
        "crm.aging.bucket": ["company_id", "days_from", "days_to", "kind"],
    }

    as_of_date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    company_currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    move_id = fields.Many2one("account.move", string="Entry", readonly=True)
    move_name = fields.Char(string="Number", readonly=True)
    move_type = fields.Selection(
        lambda self: self.env["account.move"]._fields["move_type"].selection,
        readonly=True,
    )
    date = fields.Date(string="Accounting date", readonly=True)
    date_maturity = fields.Date(string="Due date", readonly=True)
    days_overdue = fields.Integer(readonly=True, aggregator="max")
    bucket_id = fields.Many2one("crm.aging.bucket", readonly=True)
    bucket_kind = fields.Selection(
        related="bucket_id.kind", string="Bucket kind", readonly=True
    )
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount_original = fields.Monetary(
        currency_field="company_currency_id", readonly=True
    )
    amount_open = fields.Monetary(
        string="Open amount", currency_field="company_currency_id", readonly=True
    )
    amount_original_currency = fields.Monetary(
        string="Original amount in currency",
        currency_field="currency_id",
        readonly=True,
    )
    amount_open_currency = fields.Monetary(
        string="Open amount in currency", currency_field="currency_id", readonly=True
    )

    def init(self):
        cr = self.env.cr
        # Undoing later reconciliations needs them by date.
        create_index(
            cr,
            "crm_parties_partial_reconcile_max_date_idx",
            "account_partial_reconcile",
            ["max_date"],
        )
        # The card's figures: a customer's invoices and payments.
        create_index(
            cr,
            "crm_parties_account_move_commercial_partner_idx",
            "account_move",
            ["commercial_partner_id"],
        )
        create_index(
            cr,
            "crm_parties_account_payment_partner_idx",
            "account_payment",
            ["partner_id"],
        )

    @api.model
    def _aging_date(self):
        return fields.Date.to_date(
            self.env.context.get("aging_date")
        ) or fields.Date.context_today(self)

    @property
    def _table_query(self):
        return SQL(
            "%s %s %s",
            self._with(),
            self._select(),
            self._from(),
        )

    def _with(self):
        """The open items: unreconciled ones, and those reconciled after the date.

        Two disjoint sets, each read through an index: the unreconciled
        receivable items (Odoo's partial index on unreconciled lines, with the
        receivable accounts given as values), and the reconciled items that a
        reconciliation after the date reopens. ``aging_partner_ids`` in the
        context narrows both to some customers before anything is summed.
        """
        accounts = (
            self.env["account.account"]
            .sudo()
            .with_context(active_test=False)
            .search([("account_type", "=", "asset_receivable")])
            .ids
        )
        partner_ids = self.env.context.get("aging_partner_ids")
        only_partners = (
            SQL("AND aml.partner_id = ANY(%s)", list(partner_ids))
            if partner_ids
            else SQL()
        )
        columns = SQL(
            """aml.id, aml.company_id, aml.company_currency_id, aml.partner_id,
               aml.move_id, aml.date, aml.date_maturity, aml.currency_id,
               aml.balance, aml.amount_currency"""
        )
        return SQL(
            """
            WITH undone AS (
                SELECT line_id, SUM(amount) AS amount,
                       SUM(amount_currency) AS amount_currency
                  FROM (
                        SELECT debit_move_id AS line_id, amount,
                               debit_amount_currency AS amount_currency
                          FROM account_partial_reconcile WHERE max_date > %(date)s
                     UNION ALL
                        SELECT credit_move_id, -amount, -credit_amount_currency
                          FROM account_partial_reconcile WHERE max_date > %(date)s
                  ) AS later
                 GROUP BY line_id
            ),
            open_item AS (
                SELECT %(columns)s,
                       aml.amount_residual + COALESCE(undone.amount, 0.0)
                         AS open_amount,
                       aml.amount_residual_currency
                         + COALESCE(undone.amount_currency, 0.0) AS open_currency
                  FROM account_move_line aml
             LEFT JOIN undone ON undone.line_id = aml.id
                 WHERE aml.account_id = ANY(%(accounts)s)
                   AND (aml.reconciled IS NULL OR aml.reconciled = false
                        OR aml.reconciled IS NOT true)
                   AND aml.parent_state = 'posted'
                   AND aml.date <= %(date)s
                   AND aml.partner_id IS NOT NULL
                   %(only_partners)s
             UNION ALL
                SELECT %(columns)s, undone.amount, undone.amount_currency
                  FROM undone
                  JOIN account_move_line aml ON aml.id = undone.line_id
                 WHERE aml.reconciled IS TRUE
                   AND aml.account_id = ANY(%(accounts)s)
                   AND aml.parent_state = 'posted'
                   AND aml.date <= %(date)s
                   AND aml.partner_id IS NOT NULL
                   %(only_partners)s
            ),
            item AS (
                SELECT open_item.*, %(date)s::date AS as_of_date,
                       %(date)s::date - COALESCE(open_item.date_maturity,
                                                 open_item.date) AS days
                  FROM open_item
            )
            """,
            date=self._aging_date(),
            accounts=accounts,
            columns=columns,
            only_partners=only_partners,
        )

    def _select(self):
        return SQL(
            """
            SELECT item.id, item.as_of_date, item.company_id,
                   item.company_currency_id, item.partner_id,
                   COALESCE(move.invoice_user_id, partner.user_id) AS user_id,
                   item.move_id, move.name AS move_name, move.move_type,
                   item.date, COALESCE(item.date_maturity, item.date) AS date_maturity,
                   GREATEST(item.days, 0) AS days_overdue,
                   bucket.id AS bucket_id, item.currency_id,
                   item.balance AS amount_original, item.open_amount AS amount_open,
                   item.amount_currency AS amount_original_currency,
                   item.open_currency AS amount_open_currency
            """
        )

    def _from(self):
        return SQL(
            """
              FROM item
              JOIN account_move move ON move.id = item.move_id
              JOIN res_partner partner ON partner.id = item.partner_id
         LEFT JOIN crm_aging_bucket bucket
                ON bucket.company_id = item.company_id
               AND bucket.kind = CASE WHEN item.open_amount < 0 THEN 'credit'
                                      WHEN item.days <= 0 THEN 'not_due'
                                      ELSE 'overdue' END
               AND (bucket.kind != 'overdue'
                    OR (item.days >= bucket.days_from
                        AND (bucket.days_to = 0 OR item.days <= bucket.days_to)))
             WHERE item.open_amount != 0
            """
        )

    def action_open_move(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "views": [(False, "form")],
        }
