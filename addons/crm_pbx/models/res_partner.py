from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.crm_parties.tools.phone import normalize_phone


class ResPartner(models.Model):
    """Phone numbers kept also in one normalized form, to identify callers."""

    _inherit = "res.partner"

    phone_e164 = fields.Char(
        string="Phone (E.164)", compute="_compute_phone_e164", store=True, index=True
    )
    mobile_e164 = fields.Char(
        string="Mobile (E.164)", compute="_compute_phone_e164", store=True, index=True
    )
    crm_pbx_call_count = fields.Integer(
        string="Calls",
        compute="_compute_crm_pbx_call_count",
        groups="crm_pbx.group_pbx_agent",
    )

    @api.depends("phone", "mobile", "country_id", "company_id")
    def _compute_phone_e164(self):
        default_country = self.env.company.country_id.code
        for partner in self:
            country = (
                partner.country_id.code
                or partner.company_id.country_id.code
                or default_country
            )
            partner.phone_e164 = normalize_phone(partner.phone, country)
            partner.mobile_e164 = normalize_phone(partner.mobile, country)

    def _compute_crm_pbx_call_count(self):
        counts = self._count_per_company("crm.pbx.call")
        for partner in self:
            partner.crm_pbx_call_count = counts.get(partner, 0)

    @api.model
    def _crm_pbx_match(self, number_e164, company):
        """Partners with this normalized number, best first.

        Person before company, then the most recently called, then the most
        recently changed. One indexed query whatever the number of partners.
        """
        if not number_e164:
            return self.browse()
        self.env["res.partner"].flush_model(["phone_e164", "mobile_e164", "active"])
        sources = [
            SQL("SELECT id FROM res_partner WHERE phone_e164 = %s", number_e164),
            SQL("SELECT id FROM res_partner WHERE mobile_e164 = %s", number_e164),
            *self._crm_pbx_extra_number_sources(number_e164),
        ]
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id
                  FROM (%(matches)s) AS m(partner_id)
                  JOIN res_partner p ON p.id = m.partner_id
                  LEFT JOIN LATERAL (
                        SELECT max(c.date_start) AS last_call
                          FROM crm_pbx_call c
                         WHERE c.partner_id = p.id
                       ) last ON true
                 WHERE p.active
                   AND (p.company_id IS NULL OR p.company_id = %(company)s)
                 ORDER BY p.is_company, last.last_call DESC NULLS LAST,
                          p.write_date DESC, p.id
                 LIMIT 10
                """,
                matches=SQL(" UNION ").join(sources),
                company=company.id,
            )
        )
        return self.browse(row[0] for row in self.env.cr.fetchall())

    def _crm_pbx_extra_number_sources(self, number_e164):
        """SELECTs of partner ids by another stored E.164 number."""
        if "crm.contact.channel" not in self.env:
            return []
        self.env["crm.contact.channel"].flush_model(["value_e164"])
        return [
            SQL(
                "SELECT partner_id FROM crm_contact_channel WHERE value_e164 = %s",
                number_e164,
            )
        ]

    def _crm_pbx_caller_name(self):
        """The name a phone shows: the person and their company."""
        self.ensure_one()
        if self.parent_id and not self.is_company:
            return f"{self.name} ({self.commercial_partner_id.name})"
        return self.name or ""

    def action_view_crm_pbx_calls(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_pbx.crm_pbx_call_action"
        )
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.ids)]
        action["context"] = {}
        return action
