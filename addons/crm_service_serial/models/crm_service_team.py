from odoo import fields, models


class CrmServiceTeam(models.Model):
    _name = "crm.service.team"
    _description = "Service Team"
    _order = "sequence, name"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    leader_id = fields.Many2one("res.users", domain="[('share', '=', False)]")
    member_ids = fields.Many2many(
        "res.users", string="Technicians", domain="[('share', '=', False)]"
    )
