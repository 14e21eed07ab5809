from ast import literal_eval

from odoo import fields, models


class CrmCorrespondenceMailbox(models.Model):
    """An e-mail address of the mail room: what is sent to its alias is
    registered as incoming mail, for its company and, unless a routing rule
    says otherwise, assigned to its default department or person."""

    _name = "crm.correspondence.mailbox"
    _description = "Correspondence Mailbox"
    _inherit = ["mail.alias.mixin"]
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    department_id = fields.Many2one(
        "hr.department", string="Default department", check_company=True
    )
    user_id = fields.Many2one(
        "res.users", string="Default assignee", domain="[('share', '=', False)]"
    )
    keep_original = fields.Boolean(
        string="Keep the original e-mail",
        default=True,
        help="Attach the e-mail as received (.eml) to every item.",
    )
    max_size_mb = fields.Integer(
        string="Size limit (MB)",
        default=25,
        help="Larger e-mails are refused and the sender is told why.",
    )
    correspondence_count = fields.Integer(compute="_compute_correspondence_count")

    def _compute_correspondence_count(self):
        counts = dict(
            self.env["crm.correspondence"]._read_group(
                [("mailbox_id", "in", self.ids)], ["mailbox_id"], ["__count"]
            )
        )
        for mailbox in self:
            mailbox.correspondence_count = counts.get(mailbox, 0)

    def _alias_get_creation_values(self):
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get("crm.correspondence").id
        values["alias_contact"] = "everyone"
        if self.id:
            defaults = literal_eval(self.alias_defaults or "{}")
            defaults.update(mailbox_id=self.id, company_id=self.company_id.id)
            values["alias_defaults"] = defaults
        return values

    def action_view_correspondence(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_correspondence.crm_correspondence_action_incoming"
        )
        action["domain"] = [("mailbox_id", "=", self.id)]
        action["context"] = {"default_mailbox_id": self.id}
        return action
