from odoo import fields, models


class CrmGroupRole(models.Model):
    """The role of a company inside its group: subsidiary, branch, franchisee..."""

    _name = "crm.group.role"
    _description = "Role in a Group of Companies"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
