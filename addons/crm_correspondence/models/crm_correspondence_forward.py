from odoo import fields, models


class CrmCorrespondenceForward(models.Model):
    """One hop of an incoming item: who passed it, when, to whom and why."""

    _name = "crm.correspondence.forward"
    _description = "Correspondence Forwarding"
    _order = "date desc, id desc"

    correspondence_id = fields.Many2one(
        "crm.correspondence", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="correspondence_id.company_id", store=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    from_user_id = fields.Many2one(
        "res.users", string="Forwarded by", required=True, readonly=True
    )
    from_department_id = fields.Many2one(
        "hr.department", string="From department", readonly=True
    )
    user_id = fields.Many2one("res.users", string="To", readonly=True)
    department_id = fields.Many2one(
        "hr.department", string="To department", readonly=True
    )
    deadline = fields.Date(string="Reply deadline", readonly=True)
    reason = fields.Text(readonly=True)
