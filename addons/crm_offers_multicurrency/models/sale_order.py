import contextlib
from datetime import timedelta

from num2words import num2words

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tools import float_round


class SaleOrder(models.Model):
    """Quotations as offers: variants, totals in more currencies, profiles.

    Override points:

    * ``_offer_lines_of(variant)``: the lines that make up a variant.
    * ``_offer_rate(currency, date)``: the Odoo rate (and its date) used to
      convert into ``currency``; raise to refuse a missing rate.
    * ``_offer_freeze()``: what is fixed when the offer is sent.
    """

    _inherit = "sale.order"

    offer_profile_id = fields.Many2one(
        "crm.offer.profile",
        compute="_compute_offer_profile_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        index="btree_not_null",
        tracking=True,
    )
    offer_variant_ids = fields.One2many(
        "crm.offer.variant",
        "order_id",
        string="Variants",
        compute="_compute_offer_variant_ids",
        store=True,
        readonly=False,
        precompute=True,
    )
    offer_variant_id = fields.Many2one(
        "crm.offer.variant",
        string="Accepted Variant",
        readonly=True,
        copy=False,
        tracking=True,
    )
    offer_currency_ids = fields.Many2many(
        "res.currency",
        "sale_order_offer_currency_rel",
        "order_id",
        "currency_id",
        string="Additional Currencies",
        compute="_compute_offer_currency_ids",
        store=True,
        readonly=False,
        precompute=True,
    )
    offer_rate_date = fields.Date(
        string="Rate Date",
        compute="_compute_offer_rate_date",
        store=True,
        readonly=False,
        precompute=True,
        help="The exchange rates of this date convert the totals into the "
        "additional currencies.",
    )
    offer_rate_ids = fields.One2many(
        "crm.offer.rate",
        "order_id",
        string="Exchange Rates",
        compute="_compute_offer_rate_ids",
        store=True,
        precompute=True,
    )
    offer_rates_frozen = fields.Boolean(
        string="Rates Frozen",
        readonly=True,
        copy=False,
        help="Set when the offer is sent: the printed rates no longer change.",
    )
    offer_sent_date = fields.Datetime(string="Offer Sent", readonly=True, copy=False)
    offer_expiry_notified = fields.Boolean(readonly=True, copy=False)
    offer_lang = fields.Selection(
        "_offer_lang_get",
        string="Offer Language",
        compute="_compute_offer_layout",
        store=True,
        readonly=False,
        precompute=True,
    )
    offer_intro = fields.Html(
        string="Introduction",
        compute="_compute_offer_layout",
        store=True,
        readonly=False,
        precompute=True,
    )
    offer_closing = fields.Html(
        string="Closing Text",
        compute="_compute_offer_layout",
        store=True,
        readonly=False,
        precompute=True,
    )
    offer_show_discount = fields.Boolean(
        string="Show Discounts",
        compute="_compute_offer_layout",
        store=True,
        readonly=False,
        precompute=True,
    )
    offer_show_unit_price = fields.Boolean(
        string="Show Unit Prices",
        compute="_compute_offer_layout",
        store=True,
        readonly=False,
        precompute=True,
    )
    offer_group_by_section = fields.Boolean(
        string="Group by Section",
        compute="_compute_offer_layout",
        store=True,
        readonly=False,
        precompute=True,
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("partner_id", "opportunity_id")
    def _compute_offer_profile_id(self):
        for order in self:
            if order.state not in ("draft", False):
                continue  # the profile of a sent or confirmed offer stays
            order.offer_profile_id = (
                order.opportunity_id.offer_profile_id
                or order.partner_id.commercial_partner_id.with_company(
                    order.company_id
                ).offer_profile_id
                or order.offer_profile_id
            )

    @api.depends("offer_profile_id")
    def _compute_offer_variant_ids(self):
        for order in self:
            variants = order.offer_variant_ids
            if order.state not in ("draft", False) or variants.line_ids:
                order.offer_variant_ids = variants
                continue
            order.offer_variant_ids = [Command.clear()] + [
                Command.create(
                    {
                        "name": default.name,
                        "description": default.description,
                        "sequence": default.sequence,
                    }
                )
                for default in order.offer_profile_id.variant_ids
            ]

    @api.depends("offer_profile_id")
    def _compute_offer_currency_ids(self):
        for order in self:
            if order.offer_profile_id:
                order.offer_currency_ids = order.offer_profile_id.currency_ids
            else:
                order.offer_currency_ids = order.offer_currency_ids

    @api.depends("date_order")
    def _compute_offer_rate_date(self):
        for order in self:
            if order.offer_rates_frozen:
                continue
            order.offer_rate_date = fields.Date.context_today(
                order, order.date_order or fields.Datetime.now()
            )

    @api.depends("offer_currency_ids", "offer_rate_date", "currency_id", "company_id")
    def _compute_offer_rate_ids(self):
        for order in self:
            if order.offer_rates_frozen:
                continue
            order.offer_rate_ids = [Command.clear()] + [
                Command.create(values) for values in order._offer_rate_values()
            ]

    @api.depends("offer_profile_id", "partner_id")
    def _compute_offer_layout(self):
        for order in self:
            profile = order.offer_profile_id
            if not profile:
                order.offer_lang = order.offer_lang
                order.offer_intro = order.offer_intro
                order.offer_closing = order.offer_closing
                order.offer_show_discount = order.offer_show_discount or not order.id
                order.offer_show_unit_price = (
                    order.offer_show_unit_price or not order.id
                )
                order.offer_group_by_section = (
                    order.offer_group_by_section or not order.id
                )
                continue
            lang = profile.lang or order.partner_id.lang or self.env.lang
            profile = profile.with_context(lang=lang)
            order.offer_lang = profile.lang
            order.offer_intro = profile.intro
            order.offer_closing = profile.closing
            order.offer_show_discount = profile.show_discount
            order.offer_show_unit_price = profile.show_unit_price
            order.offer_group_by_section = profile.group_by_section

    @api.model
    def _offer_lang_get(self):
        return self.env["res.lang"].get_installed()

    @api.depends(
        "order_line.price_subtotal",
        "currency_id",
        "company_id",
        "payment_term_id",
        "order_line.offer_variant_id",
        "offer_variant_ids.sequence",
        "offer_variant_id",
    )
    def _compute_amounts(self):
        result = super()._compute_amounts()
        for order in self:
            lines = order._offer_lines_for_totals()
            if lines is None:
                continue
            totals = order._offer_tax_totals(lines)
            order.amount_untaxed = totals["base_amount_currency"]
            order.amount_tax = totals["tax_amount_currency"]
            order.amount_total = totals["total_amount_currency"]
        return result

    @api.depends(
        "order_line.tax_id",
        "order_line.price_unit",
        "amount_total",
        "amount_untaxed",
        "currency_id",
        "order_line.offer_variant_id",
        "offer_variant_ids.sequence",
    )
    def _compute_tax_totals(self):
        result = super()._compute_tax_totals()
        for order in self:
            lines = order._offer_lines_for_totals()
            if lines is not None:
                order.tax_totals = order._offer_tax_totals(lines)
        return result

    @api.depends("company_id", "offer_profile_id")
    def _compute_validity_date(self):
        result = super()._compute_validity_date()
        for order in self:
            days = order.offer_profile_id.validity_days
            if days > 0 and order.state in ("draft", False):
                start = fields.Date.context_today(
                    order, order.date_order or fields.Datetime.now()
                )
                order.validity_date = start + timedelta(days)
        return result

    @api.depends("partner_id", "offer_profile_id")
    def _compute_payment_term_id(self):
        result = super()._compute_payment_term_id()
        for order in self:
            if order.offer_profile_id.payment_term_id:
                order.payment_term_id = order.offer_profile_id.payment_term_id
        return result

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def write(self, vals):
        if "offer_profile_id" in vals and any(
            order.state != "draft"
            and order.offer_profile_id.id != vals["offer_profile_id"]
            for order in self
        ):
            raise UserError(
                self.env._("The profile of an offer can only be changed on a draft.")
            )
        frozen_fields = {"offer_currency_ids", "offer_rate_date"}
        if frozen_fields & set(vals) and self.filtered("offer_rates_frozen"):
            raise UserError(
                self.env._(
                    "The exchange rates of a sent offer are frozen: its "
                    "currencies and rate date no longer change."
                )
            )
        if vals.get("state") in ("sent", "sale"):
            self.filtered(
                lambda order: not order.offer_rates_frozen
                and order.state in ("draft", "sent")
                and order._is_offer()
            )._offer_freeze()
        return super().write(vals)

    def copy(self, default=None):
        new_orders = super().copy(default)
        for order, new_order in zip(self, new_orders, strict=True):
            if not order.offer_variant_ids:
                continue
            new_order.offer_variant_ids.unlink()
            mapping = {
                variant: variant.copy({"order_id": new_order.id})
                for variant in order.offer_variant_ids
            }
            for line in new_order.order_line.filtered("offer_variant_id"):
                line.offer_variant_id = mapping.get(line.offer_variant_id, False)
        return new_orders

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_confirm(self):
        for order in self:
            if order.offer_variant_ids and not order.offer_variant_id:
                raise UserError(
                    self.env._(
                        "%(offer)s has several variants: accept the one the "
                        "customer chose (Variants tab) instead of confirming it.",
                        offer=order.name,
                    )
                )
        return super().action_confirm()

    def action_offer_refresh_rates(self):
        """Read the exchange rates again (drafts only)."""
        for order in self:
            if order.offer_rates_frozen:
                raise UserError(
                    self.env._(
                        "The exchange rates of %(offer)s are frozen: it was sent.",
                        offer=order.name,
                    )
                )
            order.offer_rate_ids = [Command.clear()] + [
                Command.create(values) for values in order._offer_rate_values()
            ]
        return True

    def action_offer_unfreeze_rates(self):
        """Back to a draft, the offer may follow the rates again."""
        for order in self:
            if order.state != "draft":
                raise UserError(
                    self.env._("Only a draft offer can have its rates unfrozen.")
                )
        self.offer_rates_frozen = False
        return self.action_offer_refresh_rates()

    def action_offer_print(self):
        return self.env.ref(
            "crm_offers_multicurrency.action_report_offer"
        ).report_action(self)

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _is_offer(self):
        """Whether the quotation uses the offer features (profile, variants or
        additional currencies)."""
        self.ensure_one()
        return bool(
            self.offer_profile_id or self.offer_variant_ids or self.offer_currency_ids
        )

    def _offer_language(self):
        self.ensure_one()
        return self.offer_lang or self.partner_id.lang or self.env.lang or "en_US"

    def _offer_lines_of(self, variant):
        """The lines of ``variant``: its own and the shared ones."""
        self.ensure_one()
        return self.order_line.filtered(
            lambda line: not line.display_type
            and (not line.offer_variant_id or line.offer_variant_id == variant)
        )

    def _offer_lines_for_totals(self):
        """The lines the quotation's own totals count, or None for all.

        Until a variant is accepted, the totals of an offer with variants are
        those of its first variant: adding every variant would mean nothing.
        """
        self.ensure_one()
        if not self.offer_variant_ids:
            return None
        variant = (
            self.offer_variant_id
            or self.offer_variant_ids.sorted(lambda v: (v.sequence, v.id or 0))[:1]
        )
        return self._offer_lines_of(variant)

    def _offer_shared_lines(self):
        """The lines of every variant (those without one)."""
        self.ensure_one()
        return self.order_line.filtered(lambda line: not line.offer_variant_id)

    def _offer_report_columns(self):
        """What the printed offer shows side by side: one column per variant
        (or one for the whole offer without variants)."""
        self.ensure_one()
        lang = self._offer_language()
        if not self.offer_variant_ids:
            totals = self._offer_tax_totals(
                self.order_line.filtered(lambda line: not line.display_type)
            )
            return [
                {
                    "name": self.name,
                    "description": False,
                    "chosen": False,
                    "lines": self.order_line,
                    "untaxed": totals["base_amount_currency"],
                    "tax": totals["tax_amount_currency"],
                    "total": totals["total_amount_currency"],
                    "words": self._offer_amount_in_words(
                        totals["total_amount_currency"], lang=lang
                    ),
                }
            ]
        return [
            {
                "name": variant.name,
                "description": variant.description,
                "chosen": variant.is_chosen,
                "lines": variant._report_lines(),
                "untaxed": variant.amount_untaxed,
                "tax": variant.amount_tax,
                "total": variant.amount_total,
                "words": variant._amount_in_words(lang=lang),
            }
            for variant in self.offer_variant_ids
        ]

    def _offer_amount_in_words(self, amount, currency=None, lang=None):
        """``amount`` in words, in ``lang`` (by default the offer's language).

        num2words spells the currency itself where it knows it (e.g. złote
        and grosze in Polish); otherwise the whole units are spelled and
        followed by the currency code and the cents as a fraction.
        """
        self.ensure_one()
        currency = currency or self.currency_id or self.company_id.currency_id
        lang = lang or self._offer_language()
        amount = float_round(amount, precision_rounding=currency.rounding)
        for code in (lang, "en"):
            with contextlib.suppress(NotImplementedError, KeyError):
                return num2words(
                    amount, lang=code, to="currency", currency=currency.name
                )
            with contextlib.suppress(NotImplementedError, KeyError):
                units = num2words(int(amount), lang=code)
                cents = round((amount - int(amount)) * 100)
                return f"{units} {currency.name} {cents:02d}/100"
        raise UserError(self.env._("The amount cannot be spelled out."))

    def _offer_tax_totals(self, lines):
        """The tax totals summary (as ``tax_totals``) of some of the lines."""
        self.ensure_one()
        AccountTax = self.env["account.tax"]
        company = self.company_id or self.env.company
        base_lines = [line._prepare_base_line_for_taxes_computation() for line in lines]
        AccountTax._add_tax_details_in_base_lines(base_lines, company)
        AccountTax._round_base_lines_tax_details(base_lines, company)
        return AccountTax._get_tax_totals_summary(
            base_lines=base_lines,
            currency=self.currency_id or company.currency_id,
            company=company,
        )

    def _offer_rate_values(self):
        """Values of the rate lines, for the offer's rate date."""
        self.ensure_one()
        company = self.company_id._origin or self.env.company
        source = self.currency_id._origin or company.currency_id
        date = self.offer_rate_date or fields.Date.context_today(self)
        values = []
        targets = self.offer_currency_ids._origin - source
        if not targets:
            return values
        source_rate, source_date = self._offer_rate(source, date)
        for currency in targets:
            rate, rate_date = self._offer_rate(currency, date)
            dates = [d for d in (source_date, rate_date) if d]
            values.append(
                {
                    "currency_id": currency.id,
                    "rate": rate / source_rate,
                    "rate_date": max(dates) if dates else date,
                }
            )
        return values

    def _offer_rate(self, currency, date):
        """(rate against the company currency, its date) of ``currency``.

        The newest Odoo rate on or before ``date``; none is refused rather
        than guessed, so an offer never shows a made-up conversion.
        """
        company = self.company_id._origin or self.env.company
        if currency == company.currency_id:
            return 1.0, None
        rate = (
            self.env["res.currency.rate"]
            .sudo()
            .search(
                [
                    ("currency_id", "=", currency.id),
                    ("name", "<=", date),
                    ("company_id", "in", [False, company.root_id.id]),
                ],
                order="company_id, name desc",
                limit=1,
            )
        )
        if not rate or not rate.rate:
            raise ValidationError(
                self.env._(
                    "There is no exchange rate of %(currency)s on or before "
                    "%(date)s: enter one (Accounting or Sales settings, "
                    "Currencies) or choose another rate date.",
                    currency=currency.name,
                    date=fields.Date.to_string(date),
                )
            )
        return rate.rate, rate.name

    def _offer_check_variants(self):
        for order in self:
            empty = order.offer_variant_ids.filtered(lambda v: not v._has_lines())
            if empty:
                raise ValidationError(
                    self.env._(
                        "The variant(s) %(variants)s of %(offer)s have no lines: "
                        "add lines or remove the variant.",
                        variants=", ".join(empty.mapped("name")),
                        offer=order.name,
                    )
                )

    def _offer_freeze(self):
        """Fix the rates printed on the offer: it is being sent."""
        self._offer_check_variants()
        for order in self:
            if order.offer_profile_id.rate_date_rule == "sent":
                order.offer_rate_date = fields.Date.context_today(order)
            order.action_offer_refresh_rates()
        self.write(
            {"offer_rates_frozen": True, "offer_sent_date": fields.Datetime.now()}
        )

    def _offer_accept(self, variant, portal=False):
        """``variant`` was accepted: the quotation becomes a sales order of its
        lines; the lines of the other variants are kept on them, off the order.
        """
        self.ensure_one()
        if variant.order_id != self:
            raise UserError(self.env._("This variant belongs to another offer."))
        if self.offer_variant_id or self.state not in ("draft", "sent"):
            raise UserError(
                self.env._(
                    "%(offer)s was already accepted or is no longer a quotation.",
                    offer=self.name,
                )
            )
        if self.validity_date and self.validity_date < fields.Date.context_today(self):
            raise UserError(
                self.env._(
                    "%(offer)s expired on %(date)s and can no longer be accepted.",
                    offer=self.name,
                    date=fields.Date.to_string(self.validity_date),
                )
            )
        self._offer_check_variants()
        if not self.offer_rates_frozen:
            self._offer_freeze()
        others = self.order_line.filtered(
            lambda line: line.offer_variant_id and line.offer_variant_id != variant
        )
        for line in others:
            line.offer_variant_id.archived_line_ids = [
                Command.create(line._offer_archive_values())
            ]
        others.unlink()
        self.offer_variant_id = variant
        self.action_confirm()
        if portal:
            body = self.env._(
                "The customer accepted the variant %(variant)s on the portal.",
                variant=variant.name,
            )
        else:
            body = self.env._(
                "Accepted variant: %(variant)s.",
                variant=variant.name,
            )
        self.message_post(
            body=body, message_type="comment", subtype_xmlid="mail.mt_note"
        )

    def _has_to_be_signed(self):
        result = super()._has_to_be_signed()
        return result and not (self.offer_variant_ids and not self.offer_variant_id)

    def _has_to_be_paid(self):
        result = super()._has_to_be_paid()
        return result and not (self.offer_variant_ids and not self.offer_variant_id)

    def _get_order_lines_to_report(self):
        """The standard quotation (PDF and portal) shows what its totals count:
        the shared lines and those of the first variant, until one is chosen."""
        result = super()._get_order_lines_to_report()
        counted = self._offer_lines_for_totals()
        if counted is None:
            return result
        return result.filtered(
            lambda line: not line.offer_variant_id or line in counted
        )

    def _find_mail_template(self):
        if self.offer_variant_ids and self.state in ("draft", "sent"):
            return (
                self.env.ref(
                    "crm_offers_multicurrency.mail_template_offer",
                    raise_if_not_found=False,
                )
                or super()._find_mail_template()
            )
        return super()._find_mail_template()

    @api.model
    def _cron_offer_expired(self):
        """An activity for the salesperson of each sent offer that expired
        without an answer (once per offer)."""
        today = fields.Date.context_today(self)
        orders = self.search(
            [
                ("state", "=", "sent"),
                ("validity_date", "<", today),
                ("offer_expiry_notified", "=", False),
                "|",
                ("offer_profile_id", "!=", False),
                ("offer_variant_ids", "!=", False),
            ]
        )
        for order in orders:
            order.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Offer expired without an answer"),
                note=self.env._(
                    "%(offer)s expired on %(date)s: call the customer, or extend "
                    "or cancel it.",
                    offer=order.name,
                    date=fields.Date.to_string(order.validity_date),
                ),
                user_id=order.user_id.id or self.env.uid,
            )
        orders.offer_expiry_notified = True
