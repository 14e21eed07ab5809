from odoo import api, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

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
