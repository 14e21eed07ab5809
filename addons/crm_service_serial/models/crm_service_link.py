from markupsafe import Markup

from odoo import api, fields, models

LINKABLE_MODELS = [
    "calendar.event",
    "crm.lead",
    "sale.order",
    "account.move",
    "repair.order",
    "project.task",
    "crm.correspondence",
    "crm.document",
    "crm.pbx.call",
    "mail.message",
]


class CrmServiceLink(models.Model):
    """A service case linked to any other record: a call, a meeting or a
    trip, a letter, a document, an order... Shown on both: the case lists
    its links, the record gets a note (and, for the models of
    ``crm.service.linked.mixin``, a smart button) back to the case.

    Override point: ``_selection_target``, the models a case can link to.
    """

    _name = "crm.service.link"
    _description = "Service Case Link"
    _order = "id desc"

    case_id = fields.Many2one(
        "crm.service.case", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True)
    target = fields.Reference(selection="_selection_target", required=True)
    res_model = fields.Char(compute="_compute_res", store=True, index=True)
    res_id = fields.Integer(compute="_compute_res", store=True)
    note = fields.Char()

    _sql_constraints = [
        (
            "target_uniq",
            "unique (case_id, res_model, res_id)",
            "The case is already linked to this record.",
        ),
    ]

    @api.model
    def _selection_target(self):
        models_ = self.env["ir.model"].sudo().search([("model", "in", LINKABLE_MODELS)])
        return [(model.model, model.name) for model in models_]

    @api.depends("target")
    def _compute_res(self):
        for link in self:
            link.res_model = link.target._name if link.target else False
            link.res_id = link.target.id if link.target else 0

    @api.model_create_multi
    def create(self, vals_list):
        links = super().create(vals_list)
        for link in links:
            target = link.target
            if target and hasattr(target, "message_post"):
                target.message_post(
                    body=Markup("%s <a href='/odoo/crm.service.case/%s'>%s</a>")
                    % (
                        self.env._("Linked to service case"),
                        link.case_id.id,
                        link.case_id.name,
                    ),
                    message_type="notification",
                    subtype_xmlid="mail.mt_note",
                )
        return links

    def action_open_target(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
