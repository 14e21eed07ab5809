from odoo import fields, models
from odoo.tools import SQL


class CrmOfferAnalysis(models.Model):
    """Offers by profile, variant chosen, currency, win rate and value.

    One row per offer (a quotation with a profile or variants); the value is
    the untaxed amount, in the offer's currency and in the company's.
    """

    _name = "crm.offer.analysis"
    _description = "Offer Analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "order_id"
    _depends = {
        "sale.order": [
            "amount_untaxed",
            "company_id",
            "currency_id",
            "currency_rate",
            "date_order",
            "offer_profile_id",
            "offer_variant_id",
            "partner_id",
            "state",
            "team_id",
            "user_id",
            "validity_date",
        ],
        "crm.offer.variant": ["name", "order_id"],
        "res.company": ["currency_id"],
    }

    order_id = fields.Many2one("sale.order", string="Offer", readonly=True)
    date = fields.Date(string="Offer Date", readonly=True)
    validity_date = fields.Date(string="Expiration", readonly=True)
    profile_id = fields.Many2one("crm.offer.profile", readonly=True)
    variant_name = fields.Char(string="Variant Chosen", readonly=True)
    variant_count = fields.Integer(string="Number of Variants", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    company_currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    state = fields.Selection(
        [
            ("open", "Open"),
            ("won", "Won"),
            ("lost", "Lost or Expired"),
        ],
        string="Outcome",
        readonly=True,
    )
    won_percent = fields.Float(string="Win Rate (%)", readonly=True, aggregator="avg")
    amount = fields.Monetary(
        string="Value", currency_field="currency_id", readonly=True, aggregator=False
    )
    amount_company = fields.Monetary(
        string="Value (Company Currency)",
        currency_field="company_currency_id",
        readonly=True,
    )

    @property
    def _table_query(self):
        return SQL("%s %s %s", self._select(), self._from(), self._where())

    def _select(self):
        return SQL(
            """
            SELECT so.id, so.id AS order_id, so.date_order::date AS date,
                   so.validity_date, so.offer_profile_id AS profile_id,
                   chosen.name AS variant_name,
                   (SELECT count(*) FROM crm_offer_variant v
                     WHERE v.order_id = so.id) AS variant_count,
                   so.currency_id, company.currency_id AS company_currency_id,
                   so.partner_id, so.user_id, so.team_id, so.company_id,
                   CASE WHEN so.state = 'sale' THEN 'won'
                        WHEN so.state = 'cancel'
                          OR so.validity_date < CURRENT_DATE THEN 'lost'
                        ELSE 'open' END AS state,
                   CASE WHEN so.state = 'sale' THEN 100.0 ELSE 0.0 END AS won_percent,
                   so.amount_untaxed AS amount,
                   so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1.0)
                       AS amount_company
            """
        )

    def _from(self):
        return SQL(
            """
              FROM sale_order so
              JOIN res_company company ON company.id = so.company_id
         LEFT JOIN crm_offer_variant chosen ON chosen.id = so.offer_variant_id
            """
        )

    def _where(self):
        return SQL(
            """
             WHERE so.offer_profile_id IS NOT NULL
                OR EXISTS (SELECT 1 FROM crm_offer_variant v WHERE v.order_id = so.id)
            """
        )
