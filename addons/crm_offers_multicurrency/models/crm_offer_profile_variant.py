from odoo import fields, models


class CrmOfferProfileVariant(models.Model):
    """A variant a profile puts on its new offers (e.g. Basic, Premium)."""

    _name = "crm.offer.profile.variant"
    _description = "Offer Profile Default Variant"
    _order = "sequence, id"

    profile_id = fields.Many2one(
        "crm.offer.profile", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    description = fields.Char(translate=True)
