from ast import literal_eval

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression


class CrmMarketingSegment(models.Model):
    """Partners chosen by what the CRM knows of them, for e-mail marketing.

    A segment feeds Odoo's Email Marketing either as a domain (a mailing on
    contacts) or as a mailing list it keeps in step. Blacklisted addresses
    are always left out, bouncing ones unless asked; an unsubscription from
    the list is never undone by a later synchronisation.

    Override point: ``_partner_domain()``, for the criteria other addons add.
    """

    _name = "crm.marketing.segment"
    _description = "Marketing Segment"
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        help="Only partners of this company (and shared ones); empty for all.",
    )
    partner_type = fields.Selection(
        [
            ("all", "Companies and persons"),
            ("company", "Companies"),
            ("person", "Persons"),
        ],
        string="Partners",
        required=True,
        default="all",
    )
    category_ids = fields.Many2many("res.partner.category", string="Tags")
    relationship_type_ids = fields.Many2many(
        "crm.relationship.type", string="Relationship types"
    )
    satisfaction_min = fields.Integer(
        string="Satisfaction from", help="0 for no lower bound."
    )
    satisfaction_max = fields.Integer(
        string="Satisfaction up to", help="0 for no upper bound."
    )
    user_ids = fields.Many2many(
        "res.users", string="Salespeople", domain="[('share', '=', False)]"
    )
    country_ids = fields.Many2many("res.country", string="Countries")
    state_ids = fields.Many2many("res.country.state", string="Regions")
    extra_domain = fields.Char(
        string="Other conditions",
        default="[]",
        help="Any further condition on the partners, including fields added "
        "by other addons.",
    )
    exclude_bounced = fields.Boolean(
        string="Leave out bouncing addresses",
        default=True,
        help="Leave out partners whose last e-mails bounced.",
    )
    partner_count = fields.Integer(compute="_compute_partner_count")
    mailing_list_id = fields.Many2one(
        "mailing.list", readonly=True, copy=False, ondelete="set null"
    )
    mailing_ids = fields.One2many("mailing.mailing", "crm_segment_id")
    mailing_count = fields.Integer(compute="_compute_mailing_count")

    @api.depends(
        "partner_type",
        "category_ids",
        "relationship_type_ids",
        "satisfaction_min",
        "satisfaction_max",
        "user_ids",
        "country_ids",
        "state_ids",
        "extra_domain",
        "exclude_bounced",
        "company_id",
    )
    def _compute_partner_count(self):
        for segment in self:
            segment.partner_count = self.env["res.partner"].search_count(
                segment._partner_domain()
            )

    @api.depends("mailing_ids")
    def _compute_mailing_count(self):
        for segment in self:
            segment.mailing_count = len(segment.mailing_ids)

    @api.constrains("extra_domain")
    def _check_extra_domain(self):
        for segment in self:
            try:
                domain = literal_eval(segment.extra_domain or "[]")
                self.env["res.partner"].search_count(domain, limit=1)
            except Exception as error:  # any kind of bad domain
                raise ValidationError(
                    self.env._(
                        "Segment %(segment)s: the other conditions are not a "
                        "valid filter on partners (%(error)s).",
                        segment=segment.name,
                        error=error,
                    )
                ) from error

    @api.constrains("satisfaction_min", "satisfaction_max")
    def _check_satisfaction_range(self):
        for segment in self:
            if (
                segment.satisfaction_min
                and segment.satisfaction_max
                and segment.satisfaction_min > segment.satisfaction_max
            ):
                raise ValidationError(
                    self.env._(
                        "Segment %(segment)s: the satisfaction range is inverted.",
                        segment=segment.name,
                    )
                )

    def _partner_domain(self):
        """The partners of the segment with a usable e-mail address."""
        self.ensure_one()
        domains = [
            [("email_normalized", "!=", False), ("is_blacklisted", "=", False)],
            literal_eval(self.extra_domain or "[]"),
        ]
        if self.partner_type != "all":
            domains.append([("is_company", "=", self.partner_type == "company")])
        if self.company_id:
            domains.append([("company_id", "in", [self.company_id.id, False])])
        if self.category_ids:
            domains.append([("category_id", "in", self.category_ids.ids)])
        if self.relationship_type_ids:
            domains.append(
                [("relationship_type_ids", "in", self.relationship_type_ids.ids)]
            )
        if self.satisfaction_min:
            domains.append([("satisfaction_level", ">=", self.satisfaction_min)])
        if self.satisfaction_max:
            domains.append([("satisfaction_level", "<=", self.satisfaction_max)])
        if self.user_ids:
            domains.append([("user_id", "in", self.user_ids.ids)])
        if self.country_ids:
            domains.append([("country_id", "in", self.country_ids.ids)])
        if self.state_ids:
            domains.append([("state_id", "in", self.state_ids.ids)])
        if self.exclude_bounced:
            domains.append([("message_bounce", "=", 0)])
        return expression.AND(domains)

    def action_view_partners(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": "res.partner",
            "view_mode": "list,kanban,form",
            "domain": self._partner_domain(),
        }

    def action_new_mailing(self):
        """A mailing on the segment's partners, by domain."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "mailing.mailing",
            "view_mode": "form",
            "context": {
                "default_mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
                "default_mailing_domain": repr(self._partner_domain()),
                "default_crm_segment_id": self.id,
                "default_subject": self.name,
            },
        }

    def action_view_mailings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mass_mailing.mailing_mailing_action_mail"
        )
        action["domain"] = [("crm_segment_id", "=", self.id)]
        action["context"] = {"default_crm_segment_id": self.id}
        return action

    def action_sync_mailing_list(self):
        for segment in self:
            segment._sync_mailing_list()

    def _sync_mailing_list(self):
        """Bring the segment's mailing list in step with its partners.

        New addresses are subscribed (reusing an existing mailing contact of
        the same address), addresses that left the segment are unsubscribed
        from the list only; opted-out subscriptions are left as they are.
        """
        self.ensure_one()
        if not self.mailing_list_id:
            self.mailing_list_id = self.env["mailing.list"].create(
                {"name": self.name, "is_public": False}
            )
        mailing_list = self.mailing_list_id
        partners = self.env["res.partner"].search_fetch(
            self._partner_domain(), ["name", "email", "email_normalized"]
        )
        wanted = {}
        for partner in partners:
            wanted.setdefault(partner.email_normalized, partner)

        Subscription = self.env["mailing.subscription"]
        subscriptions = Subscription.search_fetch(
            [("list_id", "=", mailing_list.id)], ["contact_id", "opt_out"]
        )
        subscribed = {sub.contact_id.email_normalized: sub for sub in subscriptions}
        subscriptions.filtered(
            lambda sub: not sub.opt_out
            and sub.contact_id.email_normalized not in wanted
        ).unlink()

        missing = [email for email in wanted if email not in subscribed]
        contacts = self.env["mailing.contact"].search_fetch(
            [("email_normalized", "in", missing)], ["email_normalized"]
        )
        known = {contact.email_normalized: contact for contact in contacts}
        Subscription.create(
            [
                {"contact_id": known[email].id, "list_id": mailing_list.id}
                for email in missing
                if email in known
            ]
        )
        self.env["mailing.contact"].create(
            [
                {
                    "name": wanted[email].name,
                    "email": wanted[email].email,
                    "crm_partner_id": wanted[email].id,
                    "subscription_ids": [
                        fields.Command.create({"list_id": mailing_list.id})
                    ],
                }
                for email in missing
                if email not in known
            ]
        )
        # subscriptions were written through their own model
        mailing_list.invalidate_recordset(["contact_ids", "subscription_ids"])
        return mailing_list

    @api.model
    def _cron_sync_mailing_lists(self):
        self.search([("mailing_list_id", "!=", False)]).action_sync_mailing_list()
