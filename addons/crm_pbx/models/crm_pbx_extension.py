from odoo import fields, models


class CrmPbxExtension(models.Model):
    """An internal extension of a PBX and the Odoo user who answers it."""

    _name = "crm.pbx.extension"
    _description = "PBX Extension"
    _order = "pbx_id, name"

    name = fields.Char(string="Extension", required=True)
    pbx_id = fields.Many2one("crm.pbx", required=True, ondelete="cascade", index=True)
    user_id = fields.Many2one("res.users", index=True)
    company_id = fields.Many2one(related="pbx_id.company_id", store=True)

    _sql_constraints = [
        (
            "name_pbx_unique",
            "unique(pbx_id, name)",
            "An extension number is used once per PBX.",
        ),
    ]
