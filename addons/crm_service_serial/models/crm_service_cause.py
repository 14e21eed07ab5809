from odoo import fields, models


class CrmServiceCause(models.Model):
    """Why a device needed service, for the cost analysis."""

    _name = "crm.service.cause"
    _description = "Service Cause"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("name_uniq", "unique (name)", "A cause with this name already exists."),
    ]
