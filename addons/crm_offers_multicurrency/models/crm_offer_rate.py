from odoo import fields, models
from odoo.tools.misc import formatLang


class CrmOfferRate(models.Model):
    """The rate at which an offer's totals are shown in one more currency.

    ``rate`` is the amount of ``currency_id`` for one unit of the offer's
    currency; ``rate_date`` the date of the newest Odoo currency rate it was
    taken from. Recomputed while the offer is a draft, frozen once it is sent.
    """

    _name = "crm.offer.rate"
    _description = "Offer Exchange Rate"
    _order = "order_id, id"

    order_id = fields.Many2one(
        "sale.order", string="Offer", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    currency_id = fields.Many2one("res.currency", required=True)
    source_currency_id = fields.Many2one(
        related="order_id.currency_id", string="Offer Currency"
    )
    rate = fields.Float(digits=0, required=True)
    rate_date = fields.Date(required=True)

    def _convert(self, amount):
        """``amount`` in the offer's currency, in this currency, rounded by it."""
        self.ensure_one()
        return self.currency_id.round(amount * self.rate)

    def _format(self, amount):
        """``amount`` with the currency's code (symbols can be ambiguous)."""
        self.ensure_one()
        currency = self.currency_id
        number = formatLang(self.env, amount, digits=currency.decimal_places)
        return f"{number} {currency.name}"
