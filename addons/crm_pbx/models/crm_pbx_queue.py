from odoo import api, fields, models
from odoo.tools import ormcache


class CrmPbxQueue(models.Model):
    """A call queue (hunt group) of a PBX, answered by a sales team.

    Missed calls of the queue from customers without a salesperson are
    given to the team's leader to call back.
    """

    _name = "crm.pbx.queue"
    _inherit = ["crm.pbx.settings.mixin"]
    _description = "PBX Queue"
    _order = "pbx_id, name"

    name = fields.Char(string="Queue", required=True)
    pbx_id = fields.Many2one("crm.pbx", required=True, ondelete="cascade", index=True)
    team_id = fields.Many2one("crm.team", string="Sales team")
    company_id = fields.Many2one(related="pbx_id.company_id", store=True)

    _sql_constraints = [
        ("name_pbx_unique", "unique(pbx_id, name)", "A queue is named once per PBX."),
    ]

    @api.model
    @ormcache("pbx_id", "name")
    def _get_id_by_name(self, pbx_id, name):
        """The id of the queue ``name`` of the PBX, or False: cached (changes
        of queues and of their PBX clear the cache)."""
        queue = self.sudo().search(
            [("pbx_id", "=", pbx_id), ("name", "=", name)], order="id", limit=1
        )
        return queue.id or False
