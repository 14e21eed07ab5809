from collections import defaultdict

from odoo import fields, models


class CrmServiceLinkedMixin(models.AbstractModel):
    """Records that show the service cases linked to them (smart button).

    Inherit it in any model a case can link to (``crm.service.link``)."""

    _name = "crm.service.linked.mixin"
    _description = "Linked Service Cases"

    service_link_case_ids = fields.Many2many(
        "crm.service.case", compute="_compute_service_link_case_ids"
    )
    service_link_count = fields.Integer(compute="_compute_service_link_case_ids")

    def _compute_service_link_case_ids(self):
        links = self.env["crm.service.link"].search_fetch(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)],
            ["case_id", "res_id"],
        )
        cases_by_record = defaultdict(set)
        for link in links:
            cases_by_record[link.res_id].add(link.case_id.id)
        for record in self:
            case_ids = list(cases_by_record[record.id])
            record.service_link_case_ids = case_ids
            record.service_link_count = len(case_ids)

    def action_view_linked_service_cases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_service_serial.crm_service_case_action"
        )
        action["domain"] = [("id", "in", self.service_link_case_ids.ids)]
        return action
