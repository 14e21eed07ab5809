import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.crm_parties.tools.phone import normalize_phone

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class CrmContactChannel(models.Model):
    """A phone number or e-mail address of a person, with its kind.

    Comes on top of Odoo's main phone, mobile and e-mail fields; one channel
    of each medium can be the preferred one.
    """

    _name = "crm.contact.channel"
    _description = "Contact Channel"
    _order = "partner_id, is_preferred desc, medium, id"

    partner_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade"
    )
    medium = fields.Selection(
        [("phone", "Phone"), ("email", "E-mail")], required=True, default="phone"
    )
    kind = fields.Selection(
        [("private", "Private"), ("work", "Work"), ("other", "Other")],
        required=True,
        default="work",
    )
    value = fields.Char(required=True, index="trigram")
    value_e164 = fields.Char(
        string="Normalized number",
        compute="_compute_value_e164",
        store=True,
        index=True,
        help="The phone number in E.164 form (+48221234567), whatever way it "
        "was written: what telephony looks callers up by.",
    )
    is_preferred = fields.Boolean(string="Preferred")
    note = fields.Char()
    company_id = fields.Many2one(related="partner_id.company_id", store=True)

    @api.depends("medium", "value", "partner_id.country_id")
    def _compute_value_e164(self):
        default_country = self.env.company.country_id.code
        for channel in self:
            country = channel.partner_id.country_id.code or default_country
            channel.value_e164 = (
                normalize_phone(channel.value, country)
                if channel.medium == "phone"
                else False
            )

    @api.constrains("medium", "value")
    def _check_value(self):
        for channel in self:
            if channel.medium == "email" and not EMAIL_PATTERN.match(channel.value):
                raise ValidationError(
                    self.env._(
                        "%(value)s is not an e-mail address.", value=channel.value
                    )
                )
            if channel.medium == "phone" and not re.search(r"\d{3}", channel.value):
                raise ValidationError(
                    self.env._("%(value)s is not a phone number.", value=channel.value)
                )

    @api.constrains("is_preferred", "medium", "partner_id")
    def _check_one_preferred(self):
        for channel in self.filtered("is_preferred"):
            others = channel.partner_id.channel_ids.filtered(
                lambda c, ch=channel: c.is_preferred and c.medium == ch.medium
            )
            if len(others) > 1:
                raise ValidationError(
                    self.env._(
                        "%(partner)s already has a preferred %(medium)s.",
                        partner=channel.partner_id.display_name,
                        medium=dict(
                            self._fields["medium"]._description_selection(self.env)
                        )[channel.medium],
                    )
                )
