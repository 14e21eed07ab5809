from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_satisfaction_alert_threshold = fields.Integer(
        related="company_id.crm_satisfaction_alert_threshold", readonly=False
    )
    crm_aging_bounds = fields.Char(
        related="company_id.crm_aging_bounds", readonly=False
    )
    crm_receivables_for_sales_managers = fields.Boolean(
        string="Receivables for sales managers",
        compute="_compute_crm_receivables_for_sales_managers",
        inverse="_inverse_crm_receivables_for_sales_managers",
        help="Sales managers see customers' receivables, aging and payments, "
        "as invoicing users do.",
    )

    def _crm_receivables_groups(self):
        return (
            self.env.ref("sales_team.group_sale_manager"),
            self.env.ref("crm_parties.group_receivables"),
        )

    def _compute_crm_receivables_for_sales_managers(self):
        managers, receivables = self._crm_receivables_groups()
        for settings in self:
            settings.crm_receivables_for_sales_managers = (
                receivables in managers.implied_ids
            )

    def _inverse_crm_receivables_for_sales_managers(self):
        managers, receivables = self._crm_receivables_groups()
        wanted = any(self.mapped("crm_receivables_for_sales_managers"))
        if wanted == (receivables in managers.implied_ids):
            return
        if wanted:
            managers.sudo().implied_ids |= receivables
            return
        managers.sudo().implied_ids -= receivables
        # Dropping an implied group leaves it on the users: take it back from
        # the managers who do not get it from an accounting group.
        accounting = self.env.ref("account.group_account_invoice") | self.env.ref(
            "account.group_account_readonly"
        )
        receivables.sudo().users -= managers.users - accounting.users

    @api.constrains("crm_satisfaction_alert_threshold")
    def _check_crm_satisfaction_alert_threshold(self):
        for settings in self:
            if not 0 <= settings.crm_satisfaction_alert_threshold <= 5:
                raise ValidationError(
                    self.env._(
                        "The satisfaction alert threshold must be between 0 "
                        "(no alert) and 5."
                    )
                )
