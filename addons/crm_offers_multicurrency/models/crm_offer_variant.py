from odoo import api, fields, models


class CrmOfferVariant(models.Model):
    """One variant of an offer (a quotation): its own lines plus the shared ones.

    A line of the quotation belongs to one variant (``offer_variant_id``) or,
    left empty, to all of them. When the customer accepts a variant, the lines
    of the others leave the order and are kept as ``archived_line_ids``.
    """

    _name = "crm.offer.variant"
    _description = "Offer Variant"
    _order = "order_id, sequence, id"
    _check_company_auto = True

    order_id = fields.Many2one(
        "sale.order", string="Offer", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    description = fields.Char()
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    currency_id = fields.Many2one(related="order_id.currency_id")
    line_ids = fields.One2many("sale.order.line", "offer_variant_id", string="Lines")
    archived_line_ids = fields.One2many(
        "crm.offer.variant.line", "variant_id", string="Lines Not Chosen"
    )
    is_chosen = fields.Boolean(string="Chosen", compute="_compute_is_chosen")
    amount_untaxed = fields.Monetary(
        string="Untaxed Amount", compute="_compute_amounts", store=True
    )
    amount_tax = fields.Monetary(string="Taxes", compute="_compute_amounts", store=True)
    amount_total = fields.Monetary(
        string="Total", compute="_compute_amounts", store=True
    )
    converted_amounts = fields.Char(
        string="In Other Currencies", compute="_compute_converted_amounts"
    )

    @api.depends("order_id.offer_variant_id")
    def _compute_is_chosen(self):
        for variant in self:
            variant.is_chosen = variant.order_id.offer_variant_id == variant

    @api.depends(
        "order_id.order_line.price_subtotal",
        "order_id.order_line.price_total",
        "order_id.order_line.offer_variant_id",
        "order_id.currency_id",
        "archived_line_ids.price_subtotal",
        "archived_line_ids.price_total",
    )
    def _compute_amounts(self):
        for variant in self:
            order = variant.order_id
            totals = order._offer_tax_totals(order._offer_lines_of(variant))
            archived = variant.archived_line_ids
            untaxed = totals["base_amount_currency"] + sum(
                archived.mapped("price_subtotal")
            )
            total = totals["total_amount_currency"] + sum(
                archived.mapped("price_total")
            )
            currency = order.currency_id or order.company_id.currency_id
            variant.amount_untaxed = currency.round(untaxed)
            variant.amount_total = currency.round(total)
            variant.amount_tax = currency.round(total - untaxed)

    @api.depends("amount_total", "order_id.offer_rate_ids")
    def _compute_converted_amounts(self):
        for variant in self:
            variant.converted_amounts = " · ".join(
                rate._format(rate._convert(variant.amount_total))
                for rate in variant.order_id.offer_rate_ids
            )

    def action_accept(self):
        """The salesperson records that the customer accepted this variant."""
        self.ensure_one()
        self.order_id._offer_accept(self)
        return True

    def _has_lines(self):
        self.ensure_one()
        lines = self.line_ids.filtered(lambda line: not line.display_type)
        return bool(lines or self.archived_line_ids)

    def _report_lines(self):
        """The variant's own lines: on the order, or kept if not chosen."""
        self.ensure_one()
        return self.line_ids.sorted("sequence") or self.archived_line_ids

    def _amount_in_words(self, lang=None):
        """The variant's total in words, in ``lang`` (the offer's language)."""
        self.ensure_one()
        return self.order_id._offer_amount_in_words(self.amount_total, lang=lang)
