from odoo import api, fields, models


class CrmContactAddress(models.Model):
    """One more address of a person: home, correspondence, work, delivery."""

    _name = "crm.contact.address"
    _description = "Contact Address"
    _order = "partner_id, is_preferred desc, kind, id"

    partner_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade"
    )
    kind = fields.Selection(
        [
            ("home", "Home"),
            ("correspondence", "Correspondence"),
            ("work", "Work"),
            ("delivery", "Delivery"),
        ],
        required=True,
        default="home",
    )
    street = fields.Char()
    street2 = fields.Char()
    zip = fields.Char()
    city = fields.Char(index="trigram")
    country_id = fields.Many2one("res.country")
    is_preferred = fields.Boolean(string="Preferred")
    company_id = fields.Many2one(related="partner_id.company_id", store=True)

    @api.depends("kind", "street", "zip", "city")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for address in self:
            parts = [
                address.street,
                " ".join(filter(None, [address.zip, address.city])),
            ]
            where = ", ".join(filter(None, parts))
            address.display_name = f"{kinds.get(address.kind, '')}: {where}"
