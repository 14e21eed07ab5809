from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmDiscountLevel(models.Model):
    """A named discount a customer gets by default on quotations and invoices.

    Either a percentage, applied to each line, or a pricelist, set on the
    quotation; both may be set.
    """

    _name = "crm.discount.level"
    _description = "Customer Discount Level"
    _order = "sequence, discount_percent, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    discount_percent = fields.Float(string="Discount (%)", digits="Discount")
    pricelist_id = fields.Many2one("product.pricelist", check_company=True)
    # Shared by default: partners usually are, and a shared partner may only
    # point to a shared level (Odoo checks it once stock is installed).
    company_id = fields.Many2one(
        "res.company", help="Empty: the level is used by every company."
    )
    active = fields.Boolean(default=True)
    partner_count = fields.Integer(compute="_compute_partner_count")

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("discount_level_id", "in", self.ids)],
                ["discount_level_id"],
                ["__count"],
            )
        )
        for level in self:
            level.partner_count = counts.get(level, 0)

    @api.constrains("discount_percent")
    def _check_discount_percent(self):
        for level in self:
            if not 0 <= level.discount_percent <= 100:
                raise ValidationError(
                    self.env._(
                        "The discount of level %(level)s must be between 0 and "
                        "100%%, not %(value)s.",
                        level=level.name,
                        value=level.discount_percent,
                    )
                )
