from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # Copies of the entry's salesperson and type, so that the aging reads
    # the salesperson with the open items, and the purchase history a
    # customer's sold lines, each from one covering index instead of looking
    # up every item's entry (crm.aging.line, crm.purchase.history).
    invoice_user_id = fields.Many2one(
        related="move_id.invoice_user_id", store=True, string="Salesperson"
    )
    move_type = fields.Selection(store=True)

    def _auto_init(self):
        # Filled here in one statement: the ORM would compute them line by
        # line on a table that can hold millions of lines.
        cr = self.env.cr
        missing = {
            column: column_type
            for column, column_type in (
                ("invoice_user_id", "int4"),
                ("move_type", "varchar"),
            )
            if not column_exists(cr, self._table, column)
        }
        for column, column_type in missing.items():
            create_column(cr, self._table, column, column_type)
        if missing:
            self._fill_entry_copies(list(missing))
        return super()._auto_init()

    @api.model
    def _fill_entry_copies(self, columns=("invoice_user_id", "move_type")):
        """Set these copies of their entry's fields on all lines, in SQL
        (install, and data loaded without the ORM)."""
        copies = SQL(", ").join(
            SQL("%s = move.%s", SQL.identifier(column), SQL.identifier(column))
            for column in columns
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE account_move_line line
                   SET %s
                  FROM account_move move
                 WHERE move.id = line.move_id
                """,
                copies,
            )
        )

    def _crm_default_discount(self, move):
        """The customer's discount level, for the product lines of its invoices."""
        if not move.is_sale_document(include_receipts=True):
            return 0.0
        return move.partner_id.commercial_partner_id.discount_level_id.discount_percent

    @api.onchange("product_id")
    def _onchange_product_id_crm_discount(self):
        for line in self:
            if line.display_type == "product" and line.product_id and not line.discount:
                line.discount = self._crm_default_discount(line.move_id)

    @api.model_create_multi
    def create(self, vals_list):
        moves = self.env["account.move"].browse(
            {vals["move_id"] for vals in vals_list if vals.get("move_id")}
        )
        discounts = {move.id: self._crm_default_discount(move) for move in moves}
        for vals in vals_list:
            if (
                "discount" not in vals
                and vals.get("product_id")
                and vals.get("display_type", "product") == "product"
                and discounts.get(vals.get("move_id"))
            ):
                vals["discount"] = discounts[vals["move_id"]]
        return super().create(vals_list)
