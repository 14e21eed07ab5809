from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column, create_index


class AccountPartialReconcile(models.Model):
    """The earlier date of the two matched items, next to Odoo's later one.

    A reconciliation matters to the aging as of a date D only when one of its
    items is dated up to D and the other after it, that is when D falls in
    ``[min_date, max_date)``: the item dated up to D was still open by this
    amount on D. A GiST index on that range finds those few reconciliations
    for any D, instead of every reconciliation dated after D (half of them
    for a date two years back).
    """

    _inherit = "account.partial.reconcile"

    min_date = fields.Date(
        string="Min Date of Matched Lines",
        store=True,
        precompute=True,
        compute="_compute_min_date",
    )

    def _auto_init(self):
        # Filled in one statement on install, not record by record by the ORM.
        cr = self.env.cr
        if not column_exists(cr, self._table, "min_date"):
            create_column(cr, self._table, "min_date", "date")
            cr.execute(
                SQL(
                    """
                    UPDATE account_partial_reconcile part
                       SET min_date = LEAST(debit.date, credit.date)
                      FROM account_move_line debit, account_move_line credit
                     WHERE debit.id = part.debit_move_id
                       AND credit.id = part.credit_move_id
                    """
                )
            )
        return super()._auto_init()

    def init(self):
        result = super().init()
        create_index(
            self.env.cr,
            "crm_parties_partial_reconcile_date_range_idx",
            self._table,
            ["daterange(min_date, max_date)"],
            method="gist",
        )
        return result

    @api.depends("debit_move_id.date", "credit_move_id.date")
    def _compute_min_date(self):
        for partial in self:
            partial.min_date = min(
                partial.debit_move_id.date, partial.credit_move_id.date
            )
