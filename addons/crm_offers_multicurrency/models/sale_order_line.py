from odoo import fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    offer_variant_id = fields.Many2one(
        "crm.offer.variant",
        string="Variant",
        domain="[('order_id', '=', order_id)]",
        index="btree_not_null",
        ondelete="cascade",
        help="The variant of the offer this line belongs to; empty: all of them.",
    )

    def _offer_archive_values(self):
        """What is kept of the line when its variant is not chosen."""
        self.ensure_one()
        return {
            "sequence": self.sequence,
            "display_type": self.display_type or False,
            "name": self.name,
            "product_id": self.product_id.id,
            "product_uom_qty": self.product_uom_qty,
            "product_uom": self.product_uom.id,
            "price_unit": self.price_unit,
            "discount": self.discount,
            "tax_ids": [(6, 0, self.tax_id.ids)],
            "price_subtotal": self.price_subtotal,
            "price_total": self.price_total,
        }
