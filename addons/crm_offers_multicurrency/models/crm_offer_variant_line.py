from odoo import fields, models


class CrmOfferVariantLine(models.Model):
    """A line of a variant the customer did not choose, kept for the record.

    Written once, when another variant is accepted and the order keeps only
    the lines of the chosen one.
    """

    _name = "crm.offer.variant.line"
    _description = "Offer Variant Line (not chosen)"
    _order = "variant_id, sequence, id"

    variant_id = fields.Many2one(
        "crm.offer.variant", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="variant_id.company_id", store=True)
    currency_id = fields.Many2one(related="variant_id.currency_id")
    sequence = fields.Integer()
    display_type = fields.Selection(
        [("line_section", "Section"), ("line_note", "Note")]
    )
    name = fields.Text(string="Description")
    product_id = fields.Many2one("product.product")
    product_uom_qty = fields.Float(string="Quantity", digits="Product Unit of Measure")
    product_uom = fields.Many2one("uom.uom", string="Unit")
    price_unit = fields.Float(string="Unit Price", digits="Product Price")
    discount = fields.Float(string="Discount (%)", digits="Discount")
    tax_ids = fields.Many2many("account.tax", string="Taxes")
    price_subtotal = fields.Monetary(string="Subtotal")
    price_total = fields.Monetary(string="Total")
