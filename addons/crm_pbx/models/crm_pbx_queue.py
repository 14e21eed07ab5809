from odoo import fields, models


class CrmPbxQueue(models.Model):
    """A call queue (hunt group) of a PBX, answered by a sales team.

    Missed calls of the queue from customers without a salesperson are
    given to the team's leader to call back.
    """

    _name = "crm.pbx.queue"
    _description = "PBX Queue"
    _order = "pbx_id, name"

    name = fields.Char(string="Queue", required=True)
    pbx_id = fields.Many2one("crm.pbx", required=True, ondelete="cascade", index=True)
    team_id = fields.Many2one("crm.team", string="Sales team")
    company_id = fields.Many2one(related="pbx_id.company_id", store=True)

    _sql_constraints = [
        ("name_pbx_unique", "unique(pbx_id, name)", "A queue is named once per PBX."),
    ]
