from odoo import fields, models


class CrmRelationshipType(models.Model):
    """What a partner is to us: customer, partner, supplier, prospect, competitor."""

    _name = "crm.relationship.type"
    _description = "Relationship Type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("name_uniq", "unique (name)", "A relationship type with this name exists."),
    ]
