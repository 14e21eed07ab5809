from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    crm_pbx_extension_ids = fields.One2many(
        "crm.pbx.extension", "user_id", string="Telephone extensions"
    )
