from odoo import api, fields, models
from odoo.tools import ormcache


class CrmPbxExtension(models.Model):
    """An internal extension of a PBX and the Odoo user who answers it."""

    _name = "crm.pbx.extension"
    _inherit = ["crm.pbx.settings.mixin"]
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

    @api.model
    @ormcache("pbx_id", "name")
    def _get_by_name(self, pbx_id, name):
        """(extension id, user id or False) of the extension ``name`` of the
        PBX, or None: cached, every call event names one (changes of
        extensions, of their PBX and deleted users clear the cache)."""
        # order by id: the model's order would join crm_pbx for nothing
        extension = self.sudo().search_fetch(
            [("pbx_id", "=", pbx_id), ("name", "=", name)],
            ["user_id"],
            order="id",
            limit=1,
        )
        if not extension:
            return None
        return extension.id, extension.user_id.id
