from datetime import timedelta

from odoo import api, fields, models


class CrmCorrespondenceAssign(models.TransientModel):
    """Assign an incoming item, or forward it on, with a reply deadline."""

    _name = "crm.correspondence.assign"
    _description = "Assign or Forward Correspondence"

    correspondence_id = fields.Many2one(
        "crm.correspondence", required=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="correspondence_id.company_id")
    user_id = fields.Many2one(
        "res.users", string="Assignee", domain="[('share', '=', False)]"
    )
    department_id = fields.Many2one(
        "hr.department",
        domain="[('company_id', 'in', (company_id, False))]",
        compute="_compute_department_id",
        store=True,
        precompute=True,
        readonly=False,
    )
    deadline = fields.Date(
        string="Reply deadline",
        compute="_compute_deadline",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
    )
    reason = fields.Text(help="Kept in the item's forwarding history.")

    @api.depends("user_id")
    def _compute_department_id(self):
        for wizard in self:
            department = wizard.user_id.sudo().employee_id.department_id
            if department:
                wizard.department_id = department
            elif not wizard.department_id:
                wizard.department_id = wizard.correspondence_id.department_id

    @api.depends("correspondence_id")
    def _compute_deadline(self):
        for wizard in self:
            item = wizard.correspondence_id
            wizard.deadline = item.deadline or fields.Date.context_today(
                self
            ) + timedelta(days=item.company_id.crm_correspondence_reply_days)

    def action_confirm(self):
        self.ensure_one()
        self.correspondence_id._assign(
            self.user_id, self.department_id, self.deadline, self.reason
        )
        return {"type": "ir.actions.act_window_close"}
