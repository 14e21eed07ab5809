from odoo import fields, models
from odoo.tools import SQL


class CrmPaymentSettlement(models.Model):
    """What each customer payment (or credit note) settled, and how late.

    One row per reconciliation between a customer's receivable item (the
    invoice side) and the item that paid it, dated by the later of the two
    (``max_date``). The delay is counted from the invoice's due date and
    falls in the company's aging buckets ("not due" meaning on time).
    """

    _name = "crm.payment.settlement"
    _description = "Customer Payment Settlement"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "invoice_id"
    _depends = {
        "account.partial.reconcile": [
            "amount",
            "company_id",
            "credit_move_id",
            "debit_move_id",
            "debit_partner_id",
            "max_date",
        ],
        "account.move.line": [
            "account_id",
            "date",
            "date_maturity",
            "move_id",
        ],
        "crm.aging.bucket": ["company_id", "days_from", "kind"],
    }

    date = fields.Date(string="Paid on", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    company_currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    payment_move_id = fields.Many2one("account.move", string="Paid by", readonly=True)
    invoice_id = fields.Many2one("account.move", readonly=True)
    invoice_date_due = fields.Date(string="Due date", readonly=True)
    days_late = fields.Integer(readonly=True, aggregator="avg")
    bucket_id = fields.Many2one("crm.aging.bucket", string="Delay", readonly=True)
    amount = fields.Monetary(currency_field="company_currency_id", readonly=True)

    @property
    def _table_query(self):
        # A customer's settlements come latest first from one index of the
        # reconciliations (the debit item's partner, then the date), an
        # invoice's due date from its receivable item by primary key. The
        # paying entry is looked up by primary key only for the rows a query
        # returns (after its sort and limit) and the company currency is a
        # left join: PostgreSQL drops both from the counts and groups.
        days_late = SQL("part.max_date - COALESCE(debit.date_maturity, debit.date)")
        return SQL(
            """
            SELECT part.id, part.max_date AS date, part.company_id,
                   company.currency_id AS company_currency_id,
                   part.debit_partner_id AS partner_id,
                   (SELECT credit.move_id FROM account_move_line credit
                     WHERE credit.id = part.credit_move_id) AS payment_move_id,
                   debit.move_id AS invoice_id,
                   COALESCE(debit.date_maturity, debit.date) AS invoice_date_due,
                   %(days_late)s AS days_late,
                   CASE WHEN %(days_late)s <= 0 THEN bucket.not_due_id
                        ELSE bucket.overdue_ids[width_bucket(%(days_late)s,
                                                             bucket.overdue_from)]
                   END AS bucket_id,
                   part.amount
              FROM account_partial_reconcile part
              JOIN account_move_line debit ON debit.id = part.debit_move_id
         LEFT JOIN res_company company ON company.id = part.company_id
         LEFT JOIN (%(buckets)s) AS bucket ON bucket.company_id = part.company_id
             WHERE part.debit_partner_id IS NOT NULL
               AND debit.account_id = ANY(ARRAY(
                       SELECT account.id FROM account_account account
                        WHERE account.account_type = 'asset_receivable'))
            """,
            days_late=days_late,
            buckets=self.env["crm.aging.bucket"]._per_company_query(),
        )
