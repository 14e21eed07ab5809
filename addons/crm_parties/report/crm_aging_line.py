from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index, index_exists


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

    Only the unreconciled items and those reopened by a reconciliation after
    the date are read, set-based, through indexes (``init()`` here and in
    ``account.partial.reconcile``); the work grows with the open items, not
    with the history.

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
            "company_currency_id",
            "company_id",
            "currency_id",
            "date",
            "date_maturity",
            "invoice_user_id",
            "move_id",
            "move_name",
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
            "min_date",
        ],
        "account.move": ["move_type"],
        "res.partner": ["user_id"],
        "crm.aging.bucket": ["company_id", "days_from", "kind"],
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
        # Settlements latest first (crm.payment.settlement); the aging finds its
        # reconciliations by their date range (account.partial.reconcile).
        create_index(
            cr,
            "crm_parties_partial_reconcile_max_date_idx",
            "account_partial_reconcile",
            ["max_date"],
        )
        # The open items with everything the view reads of them, their
        # entry's salesperson included (account.move.line), so that the aging
        # reads them by an index-only scan, not from the lines' pages: the
        # unreconciled posted items with an amount left (receivable, payable
        # and bank lines; not the income or tax lines, which have no
        # residual).
        if not index_exists(cr, "crm_parties_aml_open_item_user_idx"):
            cr.execute(
                SQL(
                    """
                    CREATE INDEX crm_parties_aml_open_item_user_idx
                        ON account_move_line (account_id, partner_id)
                           INCLUDE (id, company_id, company_currency_id, move_id,
                                    move_name, date, date_maturity, currency_id,
                                    balance, amount_currency, amount_residual,
                                    amount_residual_currency, invoice_user_id)
                     WHERE reconciled IS NOT TRUE AND parent_state = 'posted'
                       AND amount_residual != 0 AND partner_id IS NOT NULL
                    """
                )
            )
        # The card's figures: a customer's entries by type (the average days
        # to pay reads its invoices, not its payments), with what it filters
        # and reads (the stored last reconciliation date included), for an
        # index-only scan. (The id as a last key served an earlier purchase
        # history; left as it is rather than rebuilt on upgrade.)
        if not index_exists(cr, "crm_parties_account_move_customer_entry_idx"):
            cr.execute(
                SQL(
                    """
                    CREATE INDEX crm_parties_account_move_customer_entry_idx
                        ON account_move (commercial_partner_id, move_type, id)
                           INCLUDE (state, payment_state, company_id,
                                    invoice_date, last_reconciliation_date)
                    """
                )
            )
        # (the last payment by an index-only scan, its company included: the
        # card and the record rules filter on it)
        if not index_exists(cr, "crm_parties_account_payment_partner_company_idx"):
            cr.execute(
                SQL(
                    """
                    CREATE INDEX crm_parties_account_payment_partner_company_idx
                        ON account_payment (partner_id)
                           INCLUDE (partner_type, payment_type, state, date,
                                    company_id)
                    """
                )
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

    def _reopened_after(self, date):
        """Whether a reconciliation joins an item dated up to ``date`` to one
        dated after it (the date falls in its ``[min_date, max_date)``): one
        probe of the GiST index of ``account.partial.reconcile``.
        """
        # asked while the view's query is built, before Odoo flushes its
        # dependencies for that query
        self.env["account.partial.reconcile"].flush_model(["min_date", "max_date"])
        return bool(
            self.env.execute_query(
                SQL(
                    """
                    SELECT 1 FROM account_partial_reconcile part
                     WHERE daterange(part.min_date, part.max_date) @> %s::date
                     LIMIT 1
                    """,
                    date,
                )
            )
        )

    def _with(self):
        """The open items: unreconciled ones, and those reconciled after the date.

        ``undone`` sums, per item, the reconciliations of an item dated up to
        the date with one dated after it (``_reopened_after()``): a few per
        cent of all reconciliations for a past date, usually none as of today.
        The open items are then two disjoint sets: the unreconciled receivable
        items with an amount left (an index-only scan of
        ``crm_parties_aml_open_item_user_idx``, with the receivable accounts
        as an array), plus what ``undone`` adds back, and the other items that
        ``undone`` reopens (reconciled, or with nothing left in the company
        currency; read by primary key). When no reconciliation spans the date,
        the open items are the unreconciled ones alone, and the query leaves
        ``undone`` out: planning it took longer than answering a customer's
        aging.
        ``aging_partner_ids`` in the context narrows the items to some
        customers before anything is summed.
        """
        date = self._aging_date()
        # all of them, archived too, whatever the user's access to accounts;
        # an array computed once per query (not one query more)
        accounts = SQL(
            """ARRAY(SELECT account.id FROM account_account account
                      WHERE account.account_type = 'asset_receivable')"""
        )
        partner_ids = self.env.context.get("aging_partner_ids")
        only_partners = (
            SQL("AND aml.partner_id = ANY(%s)", list(partner_ids))
            if partner_ids
            else SQL()
        )
        columns = SQL(
            """aml.id, aml.company_id, aml.company_currency_id, aml.partner_id,
               aml.move_id, aml.move_name, aml.date, aml.date_maturity,
               aml.currency_id, aml.balance, aml.amount_currency,
               aml.invoice_user_id"""
        )
        if not self._reopened_after(date):
            undone = SQL()
            open_items = SQL(
                """
                SELECT %(columns)s, aml.amount_residual AS open_amount,
                       aml.amount_residual_currency AS open_currency
                  FROM unreconciled aml
                 WHERE aml.date <= %(date)s
                """,
                columns=columns,
                date=date,
            )
        else:
            undone = SQL(
                """
                undone AS (
                    SELECT side.line_id, SUM(side.amount) AS amount,
                           SUM(side.amount_currency) AS amount_currency
                      FROM account_partial_reconcile part
                CROSS JOIN LATERAL (
                            VALUES (part.debit_move_id, part.amount,
                                    part.debit_amount_currency),
                                   (part.credit_move_id, -part.amount,
                                    -part.credit_amount_currency)
                           ) AS side (line_id, amount, amount_currency)
                     WHERE daterange(part.min_date, part.max_date) @> %s::date
                     GROUP BY side.line_id
                ),
                """,
                date,
            )
            open_items = SQL(
                """
                SELECT %(columns)s,
                       aml.amount_residual + COALESCE(undone.amount, 0.0)
                         AS open_amount,
                       aml.amount_residual_currency
                         + COALESCE(undone.amount_currency, 0.0) AS open_currency
                  FROM unreconciled aml
             LEFT JOIN undone ON undone.line_id = aml.id
                 WHERE aml.date <= %(date)s
             UNION ALL
                SELECT %(columns)s,
                       COALESCE(aml.amount_residual, 0.0) + undone.amount,
                       COALESCE(aml.amount_residual_currency, 0.0)
                         + undone.amount_currency
                  FROM undone
                  JOIN account_move_line aml ON aml.id = undone.line_id
                 WHERE (aml.reconciled IS TRUE
                        OR COALESCE(aml.amount_residual, 0.0) = 0)
                   AND aml.account_id = ANY(%(accounts)s)
                   AND aml.parent_state = 'posted'
                   AND aml.date <= %(date)s
                   AND aml.partner_id IS NOT NULL
                   %(only_partners)s
                """,
                columns=columns,
                accounts=accounts,
                date=date,
                only_partners=only_partners,
            )
        return SQL(
            """
            WITH %(undone)s
            unreconciled AS (
                SELECT %(columns)s, aml.amount_residual,
                       aml.amount_residual_currency
                  FROM account_move_line aml
                 WHERE aml.account_id = ANY(%(accounts)s)
                   AND aml.reconciled IS NOT TRUE
                   AND aml.parent_state = 'posted'
                   AND aml.amount_residual != 0
                   AND aml.partner_id IS NOT NULL
                   %(only_partners)s
            ),
            open_item AS (%(open_items)s),
            item AS (
                SELECT open_item.*, %(date)s::date AS as_of_date,
                       %(date)s::date - COALESCE(open_item.date_maturity,
                                                 open_item.date) AS days
                  FROM open_item
            )
            """,
            undone=undone,
            columns=columns,
            accounts=accounts,
            only_partners=only_partners,
            open_items=open_items,
            date=date,
        )

    def _select(self):
        # The entry's salesperson comes with the item (its copy on the line),
        # else the customer's; the entry's type by primary key, one row at a
        # time, and only when a query reads it (PostgreSQL drops the unused
        # columns): a join would hash all the entries for a few thousand items.
        return SQL(
            """
            SELECT item.id, item.as_of_date, item.company_id,
                   item.company_currency_id, item.partner_id,
                   COALESCE(
                       item.invoice_user_id,
                       (SELECT partner.user_id FROM res_partner partner
                         WHERE partner.id = item.partner_id)
                   ) AS user_id,
                   item.move_id, item.move_name,
                   (SELECT move.move_type FROM account_move move
                     WHERE move.id = item.move_id) AS move_type,
                   item.date, COALESCE(item.date_maturity, item.date) AS date_maturity,
                   GREATEST(item.days, 0) AS days_overdue,
                   CASE WHEN item.open_amount < 0 THEN bucket.credit_id
                        WHEN item.days <= 0 THEN bucket.not_due_id
                        ELSE bucket.overdue_ids[width_bucket(item.days,
                                                             bucket.overdue_from)]
                   END AS bucket_id,
                   item.currency_id,
                   item.balance AS amount_original, item.open_amount AS amount_open,
                   item.amount_currency AS amount_original_currency,
                   item.open_currency AS amount_open_currency
            """
        )

    def _from(self):
        return SQL(
            """
              FROM item
         LEFT JOIN (%s) AS bucket ON bucket.company_id = item.company_id
             WHERE item.open_amount != 0
            """,
            self.env["crm.aging.bucket"]._per_company_query(),
        )

    def action_open_move(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "views": [(False, "form")],
        }
