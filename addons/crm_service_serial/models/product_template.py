from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    warranty_months = fields.Integer(
        string="Warranty (months)", help="The manufacturer's warranty period."
    )
    warranty_start = fields.Selection(
        [("delivery", "Delivery date"), ("invoice", "Invoice date")],
        string="Warranty starts on",
        default="delivery",
        required=True,
    )
    is_extended_warranty = fields.Boolean(
        string="Extended warranty",
        help="Sold with a device, this product extends the device's warranty.",
    )
    extended_warranty_months = fields.Integer(string="Extension (months)")
    extended_warranty_product_ids = fields.Many2many(
        "product.template",
        "product_template_extended_warranty_rel",
        "warranty_id",
        "product_id",
        string="Covered products",
        help="Empty: every device sold on the same order.",
    )

    @api.constrains(
        "warranty_months", "is_extended_warranty", "extended_warranty_months"
    )
    def _check_warranty_months(self):
        for template in self:
            if template.warranty_months < 0 or (
                template.is_extended_warranty and template.extended_warranty_months <= 0
            ):
                raise ValidationError(
                    self.env._(
                        "%(product)s: warranty periods are whole positive months.",
                        product=template.display_name,
                    )
                )
