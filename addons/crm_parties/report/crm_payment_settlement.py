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
            "max_date",
        ],
        "account.move.line": [
            "account_id",
            "date",
            "date_maturity",
            "move_id",
            "partner_id",
        ],
        "crm.aging.bucket": ["company_id", "days_from", "days_to", "kind"],
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
        return SQL(
            """
            SELECT settled.*, bucket.id AS bucket_id
              FROM (
                SELECT part.id, part.max_date AS date, part.company_id,
                       company.currency_id AS company_currency_id,
                       debit.partner_id, credit.move_id AS payment_move_id,
                       debit.move_id AS invoice_id,
                       COALESCE(debit.date_maturity, debit.date) AS invoice_date_due,
                       part.max_date - COALESCE(debit.date_maturity, debit.date)
                           AS days_late,
                       part.amount
                  FROM account_partial_reconcile part
                  JOIN account_move_line debit ON debit.id = part.debit_move_id
                  JOIN account_move_line credit ON credit.id = part.credit_move_id
                  JOIN account_account account ON account.id = debit.account_id
                  JOIN res_company company ON company.id = part.company_id
                 WHERE account.account_type = 'asset_receivable'
                   AND debit.partner_id IS NOT NULL
              ) AS settled
         LEFT JOIN crm_aging_bucket bucket
                ON bucket.company_id = settled.company_id
               AND bucket.kind = CASE WHEN settled.days_late <= 0 THEN 'not_due'
                                      ELSE 'overdue' END
               AND (bucket.kind != 'overdue'
                    OR (settled.days_late >= bucket.days_from
                        AND (bucket.days_to = 0
                             OR settled.days_late <= bucket.days_to)))
            """
        )
