from odoo import api, fields, models


class CrmOfferProfile(models.Model):
    """A named preset of offers: currencies, rate date, validity, texts, layout.

    Chosen on a new offer (or proposed by its opportunity or partner), a
    profile fills the offer's fields; each stays editable on the offer.
    """

    _name = "crm.offer.profile"
    _description = "Offer Profile"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, index=True
    )
    currency_ids = fields.Many2many(
        "res.currency",
        string="Additional Currencies",
        help="The offer's totals are also shown in these currencies.",
    )
    rate_date_rule = fields.Selection(
        [("order", "Offer date"), ("sent", "Sending date")],
        string="Rate Date",
        default="order",
        required=True,
        help="The date of the exchange rates used for the additional "
        "currencies; they are frozen when the offer is sent.",
    )
    validity_days = fields.Integer(
        string="Validity (days)",
        default=30,
        help="The offer expires this many days after its date.",
    )
    payment_term_id = fields.Many2one("account.payment.term", check_company=True)
    lang = fields.Selection(
        "_lang_get",
        string="Language",
        help="The language of the printed offer; empty: the customer's.",
    )
    intro = fields.Html(string="Introduction", translate=True)
    closing = fields.Html(string="Closing Text", translate=True)
    show_discount = fields.Boolean(string="Show Discounts", default=True)
    show_unit_price = fields.Boolean(string="Show Unit Prices", default=True)
    group_by_section = fields.Boolean(
        string="Group by Section",
        default=True,
        help="Print the section lines as headings; otherwise they are left out.",
    )
    variant_ids = fields.One2many(
        "crm.offer.profile.variant",
        "profile_id",
        string="Default Variants",
        copy=True,
    )
    offer_count = fields.Integer(compute="_compute_offer_count")

    @api.model
    def _lang_get(self):
        return self.env["res.lang"].get_installed()

    def _compute_offer_count(self):
        counts = dict(
            self.env["sale.order"]._read_group(
                [("offer_profile_id", "in", self.ids)],
                ["offer_profile_id"],
                ["__count"],
            )
        )
        for profile in self:
            profile.offer_count = counts.get(profile, 0)

    def action_open_offers(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "sale.action_quotations_with_onboarding"
        )
        action["domain"] = [("offer_profile_id", "=", self.id)]
        action["context"] = {"default_offer_profile_id": self.id}
        return action
