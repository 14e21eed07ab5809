from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column


class AccountMove(models.Model):
    _inherit = "account.move"

    # Stored so that a customer's average days to pay reads it with the
    # invoices from their index (res.partner), instead of looking up the
    # reconciliations of each of thousands of paid invoices.
    last_reconciliation_date = fields.Date(
        compute="_compute_last_reconciliation_date",
        store=True,
        copy=False,
        help="Date of the latest payment or credit note reconciled with the "
        "receivable of this invoice.",
    )

    @api.depends(
        "line_ids.display_type",
        "line_ids.balance",
        "line_ids.matched_credit_ids.max_date",
    )
    def _compute_last_reconciliation_date(self):
        for move in self:
            receivable_debits = move.line_ids.filtered(
                lambda line: line.display_type == "payment_term" and line.balance > 0
            )
            dates = receivable_debits.matched_credit_ids.mapped("max_date")
            move.last_reconciliation_date = max(dates, default=False)

    def _auto_init(self):
        # Filled here in one statement: the ORM would compute it invoice by
        # invoice on a table that can hold millions of entries.
        if not column_exists(self.env.cr, self._table, "last_reconciliation_date"):
            create_column(self.env.cr, self._table, "last_reconciliation_date", "date")
            self._fill_last_reconciliation_date()
        return super()._auto_init()

    @api.model
    def _fill_last_reconciliation_date(self):
        """Set the stored date of all entries from their reconciliations, in SQL
        (install, and data loaded without the ORM)."""
        self.env.cr.execute(
            SQL(
                """
                UPDATE account_move move
                   SET last_reconciliation_date = latest.max_date
                  FROM (
                    SELECT line.move_id, MAX(part.max_date) AS max_date
                      FROM account_move_line line
                      JOIN account_partial_reconcile part
                        ON part.debit_move_id = line.id
                     WHERE line.display_type = 'payment_term' AND line.balance > 0
                     GROUP BY line.move_id
                  ) AS latest
                 WHERE move.id = latest.move_id
                   AND move.last_reconciliation_date IS DISTINCT FROM latest.max_date
                """
            )
        )
