from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _compute_pricelist_id(self):
        result = super()._compute_pricelist_id()
        for order in self.filtered(lambda o: o.state == "draft"):
            level = order.partner_id.commercial_partner_id.discount_level_id
            if level.pricelist_id:
                order.pricelist_id = level.pricelist_id
        return result
