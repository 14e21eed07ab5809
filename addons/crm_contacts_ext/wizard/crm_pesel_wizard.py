from odoo import fields, models


class CrmPeselWizard(models.TransientModel):
    """Shows a person's PESEL to its group, and lets them change it."""

    _name = "crm.pesel.wizard"
    _description = "PESEL"

    partner_id = fields.Many2one("res.partner", required=True, readonly=True)
    pesel = fields.Char(string="PESEL")

    def action_save(self):
        self.ensure_one()
        if self.pesel != self.partner_id.pesel:
            self.partner_id.pesel = self.pesel or False
        return {"type": "ir.actions.act_window_close"}
