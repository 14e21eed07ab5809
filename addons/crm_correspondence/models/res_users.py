from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    crm_department_ids = fields.Many2many(
        "hr.department",
        compute="_compute_crm_department_ids",
        help="Departments whose correspondence the user sees: those of their "
        "employee records and those they manage, with their sub-departments.",
    )
    crm_managed_department_ids = fields.Many2many(
        "hr.department", compute="_compute_crm_department_ids"
    )

    def _compute_crm_department_ids(self):
        Department = self.env["hr.department"].sudo()
        for user in self:
            managed = Department.search(
                [
                    (
                        "id",
                        "child_of",
                        Department.search([("manager_id.user_id", "=", user.id)]).ids,
                    )
                ]
            )
            user.crm_managed_department_ids = managed
            user.crm_department_ids = managed | user.sudo().employee_ids.department_id
