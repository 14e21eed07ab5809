from odoo import api, models


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    # Correspondence record rules read the user's departments: they are
    # cached, so a change of department or user must reset that cache.
    @api.model_create_multi
    def create(self, vals_list):
        employees = super().create(vals_list)
        self.env.registry.clear_cache()
        return employees

    def write(self, vals):
        result = super().write(vals)
        if {"department_id", "user_id", "parent_id"} & vals.keys():
            self.env.registry.clear_cache()
        return result
