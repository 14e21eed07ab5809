from markupsafe import Markup
from stdnum import exceptions as stdnum_exceptions
from stdnum.pl import nip as stdnum_nip
from stdnum.pl import pesel as stdnum_pesel

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

PESEL_GROUP = "crm_contacts_ext.group_pesel"


def normalize_nip(value):
    """Digits of a NIP written with or without dashes, spaces or PL prefix."""
    return stdnum_nip.compact(value or "")


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Identifiers
    pesel = fields.Char(
        string="PESEL",
        groups=PESEL_GROUP,
        copy=False,
        index=True,
        help="Personal data: only the PESEL group sees and changes it; showing "
        "it is logged in the chatter.",
    )
    pesel_masked = fields.Char(
        string="PESEL (masked)", compute="_compute_pesel_masked", compute_sudo=True
    )
    nip = fields.Char(string="NIP", copy=False, index=True)
    nip_query = fields.Char(
        string="NIP search",
        compute="_compute_nip_query",
        search="_search_nip_query",
        help="Finds a NIP however it is written (dashes, spaces, PL prefix).",
    )
    birth_date = fields.Date(tracking=True)
    gender = fields.Selection([("female", "Female"), ("male", "Male")])

    # Name day
    first_name = fields.Char(compute="_compute_first_name")
    name_day_id = fields.Many2one(
        "crm.name.day",
        string="Name day",
        compute="_compute_name_day_id",
        store=True,
        readonly=False,
        domain="[('name', '=ilike', first_name)]",
        help="The day the person celebrates among those of their first name.",
    )

    # More addresses and channels
    address_ids = fields.One2many(
        "crm.contact.address", "partner_id", string="Addresses"
    )
    channel_ids = fields.One2many(
        "crm.contact.channel", "partner_id", string="Phones and e-mails"
    )

    # Employment history
    employment_ids = fields.One2many(
        "crm.employment", "person_id", string="Employment history"
    )
    staff_employment_ids = fields.One2many(
        "crm.employment", "employer_id", string="Staff (current and former)"
    )

    @api.depends("pesel")
    def _compute_pesel_masked(self):
        for partner in self:
            number = partner.pesel or ""
            partner.pesel_masked = "•" * 7 + number[-4:] if number else False

    def _compute_nip_query(self):
        for partner in self:
            partner.nip_query = partner.nip

    def _search_nip_query(self, operator, value):
        if operator not in ("=", "ilike", "like", "=ilike") or not isinstance(
            value, str
        ):
            raise NotImplementedError(self.env._("Unsupported search on NIP."))
        digits = normalize_nip(value)
        return [("nip", "ilike" if operator != "=" else "=", digits)]

    @api.depends("name", "is_company")
    def _compute_first_name(self):
        for partner in self:
            words = (partner.name or "").split()
            partner.first_name = words[0] if words and not partner.is_company else False

    @api.depends("name", "is_company")
    def _compute_name_day_id(self):
        persons = self.filtered(lambda p: not p.is_company)
        first_names = {p.first_name.lower() for p in persons if p.first_name}
        days_by_name = {}
        if first_names:
            for name_day in self.env["crm.name.day"].search(
                [("name", "in", [n.capitalize() for n in first_names])]
            ):
                days_by_name.setdefault(name_day.name.lower(), name_day)
        for partner in self:
            current = partner.name_day_id
            first = (partner.first_name or "").lower()
            if partner.is_company or not first:
                partner.name_day_id = False
            elif not current or current.name.lower() != first:
                partner.name_day_id = days_by_name.get(first, False)

    @api.constrains("nip")
    def _check_nip(self):
        for partner in self.filtered("nip"):
            if not stdnum_nip.is_valid(partner.nip):
                raise ValidationError(
                    self.env._(
                        "%(nip)s is not a valid NIP: it needs 10 digits with a "
                        "correct check digit.",
                        nip=partner.nip,
                    )
                )

    @api.constrains("pesel", "birth_date", "gender", "company_id")
    def _check_pesel(self):
        for partner in self.sudo().filtered("pesel"):
            number = partner.pesel
            try:
                stdnum_pesel.validate(number)
            except stdnum_exceptions.InvalidLength:
                raise ValidationError(
                    self.env._("A PESEL has 11 digits, not '%(pesel)s'.", pesel=number)
                ) from None
            except stdnum_exceptions.ValidationError:
                raise ValidationError(
                    self.env._(
                        "%(pesel)s is not a valid PESEL (wrong check digit or "
                        "date).",
                        pesel=number,
                    )
                ) from None
            born = stdnum_pesel.get_birth_date(number)
            if partner.birth_date and partner.birth_date != born:
                raise ValidationError(
                    self.env._(
                        "The date of birth %(date)s contradicts the PESEL, which "
                        "says %(born)s.",
                        date=partner.birth_date,
                        born=born,
                    )
                )
            gender = "male" if stdnum_pesel.get_gender(number) == "M" else "female"
            if partner.gender and partner.gender != gender:
                raise ValidationError(
                    self.env._("The sex contradicts the PESEL %(pesel)s.", pesel=number)
                )
            duplicate = self.sudo().search_count(
                [
                    ("pesel", "=", number),
                    ("company_id", "=", partner.company_id.id),
                    ("id", "!=", partner.id),
                ],
                limit=1,
            )
            if duplicate:
                raise ValidationError(
                    self.env._(
                        "Another person already has the PESEL %(pesel)s.",
                        pesel=number,
                    )
                )

    @api.model
    def _pesel_derived_values(self, vals, partner=None):
        """Normalized PESEL and NIP, and the birth date and sex the PESEL gives."""
        if vals.get("nip"):
            vals["nip"] = normalize_nip(vals["nip"])
        number = vals.get("pesel")
        if not number:
            return vals
        vals["pesel"] = number = stdnum_pesel.compact(number)
        if not stdnum_pesel.is_valid(number):
            return vals  # the constraint explains what is wrong
        if not vals.get("birth_date") and not (partner and partner.birth_date):
            vals["birth_date"] = stdnum_pesel.get_birth_date(number)
        if not vals.get("gender") and not (partner and partner.gender):
            vals["gender"] = (
                "male" if stdnum_pesel.get_gender(number) == "M" else "female"
            )
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._pesel_derived_values(dict(vals)) for vals in vals_list]
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("pesel") or vals.get("nip"):
            for partner in self:
                super(ResPartner, partner).write(
                    self._pesel_derived_values(dict(vals), partner.sudo())
                )
            return True
        return super().write(vals)

    @api.onchange("pesel")
    def _onchange_pesel(self):
        values = self._pesel_derived_values({"pesel": self.pesel}, self)
        self.birth_date = values.get("birth_date", self.birth_date)
        self.gender = values.get("gender", self.gender)

    def _sync_parent_with_employment(self):
        """Make each person's parent the company of its primary current job."""
        for person in self.filtered(lambda p: not p.is_company):
            primary = person.employment_ids.filtered(
                lambda job: job.is_primary and job.is_current
            )[:1]
            employer = primary.employer_id
            if person.parent_id != employer and (employer or person.employment_ids):
                person.parent_id = employer
                if primary.job_title:
                    person.function = primary.job_title

    def _log_pesel_access(self, why):
        self._message_log_batch(
            bodies={
                partner.id: Markup("<p>%s</p>")
                % self.env._(
                    "PESEL %(why)s by %(user)s.", why=why, user=self.env.user.name
                )
                for partner in self
            }
        )

    def action_reveal_pesel(self):
        """Show (and allow editing) the PESEL to its group, logging it."""
        self.ensure_one()
        if not self.env.user.has_group(PESEL_GROUP):
            raise AccessError(self.env._("Only the PESEL group may see PESEL numbers."))
        self._log_pesel_access(self.env._("shown"))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("PESEL of %(name)s", name=self.name),
            "res_model": "crm.pesel.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.id, "default_pesel": self.pesel},
        }

    def export_data(self, fields_to_export):
        if any(path.split("/")[0] == "pesel" for path in fields_to_export):
            self._log_pesel_access(self.env._("exported"))
        return super().export_data(fields_to_export)

    def action_open_contact_history(self):
        """The timeline of this person only (not of the whole company)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_parties.crm_timeline_event_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["display_name"] = self.env._(
            "Contact history of %(name)s", name=self.name
        )
        return action

    def action_log_call(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log a call"),
            "res_model": "mail.activity",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model": "res.partner",
                "default_res_id": self.id,
                "default_activity_type_id": self.env.ref(
                    "mail.mail_activity_data_call"
                ).id,
                "default_date_deadline": fields.Date.context_today(self),
            },
        }

    def action_schedule_meeting(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "calendar.action_calendar_event"
        )
        action["context"] = {
            "default_partner_ids": [self.id, self.env.user.partner_id.id],
            "default_name": self.env._("Meeting with %(name)s", name=self.name),
        }
        return action
