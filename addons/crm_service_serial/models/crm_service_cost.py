from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmServiceCost(models.Model):
    """A cost of a service case: a part (from its repair orders), labour,
    travel or anything else, borne by us or charged to the customer."""

    _name = "crm.service.cost"
    _description = "Service Cost"
    _order = "case_id, cost_type, id"

    case_id = fields.Many2one(
        "crm.service.case", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True)
    lot_id = fields.Many2one(related="case_id.lot_id", store=True)
    currency_id = fields.Many2one(related="case_id.currency_id")
    cost_type = fields.Selection(
        [
            ("part", "Part"),
            ("labour", "Labour"),
            ("travel", "Travel"),
            ("other", "Other"),
        ],
        string="Type",
        required=True,
        default="labour",
    )
    name = fields.Char(string="Description", required=True)
    product_id = fields.Many2one("product.product")
    user_id = fields.Many2one(
        "res.users",
        string="By",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    date = fields.Date(default=fields.Date.context_today, required=True)
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    unit_cost = fields.Monetary(required=True)
    amount = fields.Monetary(compute="_compute_amount", store=True)
    charge_to = fields.Selection(
        [("company", "Borne by us"), ("customer", "Customer")],
        compute="_compute_charge_to",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        help="Under warranty the firm bears the cost; otherwise it is charged "
        "to the customer. Can be changed per line.",
    )
    repair_move_id = fields.Many2one(
        "stock.move", string="Repair part", readonly=True, index="btree_not_null"
    )

    _sql_constraints = [
        (
            "repair_move_uniq",
            "unique (repair_move_id)",
            "This part is already costed.",
        ),
    ]

    @api.depends("quantity", "unit_cost")
    def _compute_amount(self):
        for cost in self:
            cost.amount = cost.currency_id.round(cost.quantity * cost.unit_cost)

    @api.depends("case_id.warranty_status")
    def _compute_charge_to(self):
        for cost in self:
            covered = cost.case_id.warranty_status in ("in_warranty", "extended")
            cost.charge_to = "company" if covered else "customer"

    @api.constrains("quantity", "unit_cost")
    def _check_positive(self):
        for cost in self:
            if cost.quantity < 0 or cost.unit_cost < 0:
                raise ValidationError(
                    self.env._("Costs are entered as positive quantities and amounts.")
                )
