from odoo import models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _compute_discount(self):
        result = super()._compute_discount()
        for line in self:
            if line.display_type or not line.product_id or line.discount:
                continue
            level = line.order_id.partner_id.commercial_partner_id.discount_level_id
            line.discount = level.discount_percent
        return result
