from odoo import api, models


class HrDepartment(models.Model):
    _inherit = "hr.department"

    # See hr.employee: correspondence rules depend on who manages what.
    @api.model_create_multi
    def create(self, vals_list):
        departments = super().create(vals_list)
        self.env.registry.clear_cache()
        return departments

    def write(self, vals):
        result = super().write(vals)
        if {"manager_id", "parent_id"} & vals.keys():
            self.env.registry.clear_cache()
        return result
