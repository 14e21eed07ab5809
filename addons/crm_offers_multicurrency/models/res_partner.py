from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    offer_profile_id = fields.Many2one(
        "crm.offer.profile",
        string="Default Offer Profile",
        company_dependent=True,
        help="Proposed on the new offers to this partner.",
    )
