from odoo import fields, models
from odoo.tools import SQL


class CrmServiceCostReport(models.Model):
    """Service costs per device product, cause and technician."""

    _name = "crm.service.cost.report"
    _description = "Service Cost Analysis"
    _auto = False
    _order = "date desc"
    _depends = {
        "crm.service.cost": [
            "amount",
            "case_id",
            "charge_to",
            "company_id",
            "cost_type",
            "date",
        ],
        "crm.service.case": [
            "case_type",
            "cause_id",
            "partner_id",
            "product_id",
            "team_id",
            "user_id",
            "warranty_status",
        ],
    }

    case_id = fields.Many2one("crm.service.case", readonly=True)
    date = fields.Date(readonly=True)
    product_id = fields.Many2one("product.product", string="Device", readonly=True)
    cause_id = fields.Many2one("crm.service.cause", readonly=True)
    user_id = fields.Many2one("res.users", string="Technician", readonly=True)
    team_id = fields.Many2one("crm.service.team", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    case_type = fields.Selection(
        lambda self: self.env["crm.service.case"]._fields["case_type"].selection,
        string="Type",
        readonly=True,
    )
    warranty_status = fields.Selection(
        lambda self: self.env["crm.service.case"]._fields["warranty_status"].selection,
        string="Warranty",
        readonly=True,
    )
    cost_type = fields.Selection(
        lambda self: self.env["crm.service.cost"]._fields["cost_type"].selection,
        readonly=True,
    )
    charge_to = fields.Selection(
        lambda self: self.env["crm.service.cost"]._fields["charge_to"].selection,
        readonly=True,
    )
    amount = fields.Float(readonly=True)
    amount_company = fields.Float(string="Borne by us", readonly=True)
    amount_customer = fields.Float(string="Charged to customer", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT cost.id, cost.case_id, cost.date, sc.product_id, sc.cause_id,
                   sc.user_id, sc.team_id, sc.partner_id, cost.company_id,
                   sc.case_type, sc.warranty_status, cost.cost_type,
                   cost.charge_to, cost.amount,
                   CASE WHEN cost.charge_to = 'company' THEN cost.amount
                        ELSE 0 END AS amount_company,
                   CASE WHEN cost.charge_to = 'customer' THEN cost.amount
                        ELSE 0 END AS amount_customer
              FROM crm_service_cost cost
              JOIN crm_service_case sc ON sc.id = cost.case_id
            """
        )
