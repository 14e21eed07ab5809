from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column, create_index


class AccountPartialReconcile(models.Model):
    """The earlier date of the two matched items, next to Odoo's later one,
    and the partner of the debit item.

    A reconciliation matters to the aging as of a date D only when one of its
    items is dated up to D and the other after it, that is when D falls in
    ``[min_date, max_date)``: the item dated up to D was still open by this
    amount on D. A GiST index on that range finds those few reconciliations
    for any D, instead of every reconciliation dated after D (half of them
    for a date two years back).

    The debit item's partner is the customer whose invoice was settled: with
    it, a customer's settlements (crm.payment.settlement) are found latest
    first in one index, instead of among all the customer's journal items.
    """

    _inherit = "account.partial.reconcile"

    min_date = fields.Date(
        string="Min Date of Matched Lines",
        store=True,
        precompute=True,
        compute="_compute_min_date",
    )
    debit_partner_id = fields.Many2one(
        related="debit_move_id.partner_id",
        string="Partner of the Debit Item",
        store=True,
        precompute=True,
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
        if not column_exists(cr, self._table, "debit_partner_id"):
            create_column(cr, self._table, "debit_partner_id", "int4")
            self._fill_debit_partner_id()
        return super()._auto_init()

    @api.model
    def _fill_debit_partner_id(self):
        """Set the stored partner of all reconciliations from their debit
        items, in SQL (install, and data loaded without the ORM)."""
        self.env.cr.execute(
            SQL(
                """
                UPDATE account_partial_reconcile part
                   SET debit_partner_id = debit.partner_id
                  FROM account_move_line debit
                 WHERE debit.id = part.debit_move_id
                   AND part.debit_partner_id IS DISTINCT FROM debit.partner_id
                """
            )
        )

    def init(self):
        result = super().init()
        cr = self.env.cr
        create_index(
            cr,
            "crm_parties_partial_reconcile_date_range_idx",
            self._table,
            ["daterange(min_date, max_date)"],
            method="gist",
        )
        # a customer's settlements latest first (crm.payment.settlement)
        create_index(
            cr,
            "crm_parties_partial_reconcile_partner_date_idx",
            self._table,
            ["debit_partner_id", "max_date"],
            where="debit_partner_id IS NOT NULL",
        )
        return result

    @api.depends("debit_move_id.date", "credit_move_id.date")
    def _compute_min_date(self):
        for partial in self:
            partial.min_date = min(
                partial.debit_move_id.date, partial.credit_move_id.date
            )
