from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.crm_parties.tools.code128 import code128_svg

from .crm_service_sla import PRIORITIES
from .stock_lot import WARRANTY_STATUSES

OPEN_STATES = ("new", "diagnosed", "in_repair", "waiting_parts", "waiting_customer")
COVERED = ("in_warranty", "extended")


class CrmServiceCase(models.Model):
    """A service request on a device (a serial number): complaint, repair,
    warranty claim, inspection or installation.

    The warranty status is computed from the device's facts when the case
    is opened (``stock.lot._device_facts``) and can be overridden with a
    reason; it decides who pays (``crm.service.cost``) and whether the
    repair orders made from the case are under warranty.
    """

    _name = "crm.service.case"
    _description = "Service Case"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "priority desc, date_open desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/"
    )
    case_type = fields.Selection(
        [
            ("complaint", "Complaint"),
            ("repair", "Repair"),
            ("warranty", "Warranty claim"),
            ("inspection", "Inspection"),
            ("installation", "Installation"),
        ],
        string="Type",
        required=True,
        default="repair",
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        tracking=True,
        index=True,
        check_company=True,
    )
    contact_id = fields.Many2one(
        "res.partner",
        domain="[('id', 'child_of', partner_id)]",
        check_company=True,
    )
    product_id = fields.Many2one(
        "product.product",
        string="Device",
        required=True,
        tracking=True,
        check_company=True,
        domain="[('tracking', '=', 'serial')]",
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial number",
        required=True,
        tracking=True,
        index=True,
        check_company=True,
        domain="[('product_id', '=', product_id)]",
    )
    problem = fields.Html(string="Reported problem")
    channel = fields.Selection(
        [
            ("desk", "Service desk"),
            ("phone", "Phone"),
            ("email", "E-mail"),
            ("portal", "Portal"),
            ("onsite", "On site"),
        ],
        required=True,
        default="desk",
    )
    priority = fields.Selection(PRIORITIES, required=True, default="1", tracking=True)
    team_id = fields.Many2one("crm.service.team", tracking=True, check_company=True)
    user_id = fields.Many2one(
        "res.users",
        string="Technician",
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
    )
    cause_id = fields.Many2one("crm.service.cause", tracking=True)
    state = fields.Selection(
        [
            ("new", "New"),
            ("diagnosed", "Diagnosed"),
            ("in_repair", "In repair"),
            ("waiting_parts", "Waiting for parts"),
            ("waiting_customer", "Waiting for customer"),
            ("resolved", "Resolved"),
            ("closed", "Closed"),
            ("rejected", "Rejected"),
        ],
        required=True,
        default="new",
        tracking=True,
        group_expand="_group_expand_states",
    )
    resolution = fields.Html()
    rejection_reason = fields.Char(tracking=True)

    # Dates and service levels
    date_open = fields.Datetime(
        string="Opened", required=True, default=fields.Datetime.now, readonly=True
    )
    date_responded = fields.Datetime(string="Diagnosed on", readonly=True, copy=False)
    date_resolved = fields.Datetime(string="Resolved on", readonly=True, copy=False)
    sla_response_deadline = fields.Datetime(
        string="Respond by", compute="_compute_sla_deadlines", store=True
    )
    sla_resolution_deadline = fields.Datetime(
        string="Resolve by", compute="_compute_sla_deadlines", store=True
    )
    sla_breached = fields.Boolean(
        string="SLA breached",
        compute="_compute_sla_breached",
        search="_search_sla_breached",
    )

    # Warranty
    warranty_computed = fields.Selection(
        WARRANTY_STATUSES,
        string="Computed warranty",
        compute="_compute_warranty_computed",
        store=True,
        help="From the device's delivery, invoice and warranty rules on the "
        "day the case was opened.",
    )
    warranty_override = fields.Selection(
        WARRANTY_STATUSES[:3],
        string="Warranty decided",
        tracking=True,
        help="Overrides the computed status (goodwill, evidence brought by "
        "the customer...); a reason is required.",
    )
    warranty_override_reason = fields.Char(tracking=True)
    warranty_status = fields.Selection(
        WARRANTY_STATUSES,
        string="Warranty",
        compute="_compute_warranty_status",
        store=True,
    )
    warranty_end_date = fields.Date(related="lot_id.warranty_end_date")

    # Work
    repair_ids = fields.One2many("repair.order", "service_case_id", string="Repairs")
    repair_count = fields.Integer(compute="_compute_repair_count")
    cost_ids = fields.One2many("crm.service.cost", "case_id", string="Costs")
    currency_id = fields.Many2one(related="company_id.currency_id")
    cost_company = fields.Monetary(
        string="Borne by us", compute="_compute_cost_totals", store=True
    )
    cost_customer = fields.Monetary(
        string="Charged to customer", compute="_compute_cost_totals", store=True
    )
    cost_total = fields.Monetary(
        string="Total cost", compute="_compute_cost_totals", store=True
    )
    link_ids = fields.One2many("crm.service.link", "case_id", string="Linked records")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("priority", "team_id", "date_open", "company_id")
    def _compute_sla_deadlines(self):
        Sla = self.env["crm.service.sla"]
        for case in self:
            sla = Sla._for(case.company_id, case.team_id, case.priority)
            start = case.date_open or fields.Datetime.now()
            case.sla_response_deadline = sla and start + timedelta(
                hours=sla.response_hours
            )
            case.sla_resolution_deadline = sla and start + timedelta(
                hours=sla.resolution_hours
            )

    @api.depends(
        "sla_response_deadline",
        "sla_resolution_deadline",
        "date_responded",
        "date_resolved",
    )
    def _compute_sla_breached(self):
        now = fields.Datetime.now()
        for case in self:
            response = case.date_responded or now
            resolution = case.date_resolved or now
            case.sla_breached = bool(
                (case.sla_response_deadline and response > case.sla_response_deadline)
                or (
                    case.sla_resolution_deadline
                    and resolution > case.sla_resolution_deadline
                )
            )

    def _search_sla_breached(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on service levels."))
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM crm_service_case
                 WHERE COALESCE(date_responded, NOW() AT TIME ZONE 'UTC')
                           > sla_response_deadline
                    OR COALESCE(date_resolved, NOW() AT TIME ZONE 'UTC')
                           > sla_resolution_deadline
                """
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        wanted = value if operator == "=" else not value
        return [("id", "in" if wanted else "not in", ids)]

    @api.depends("lot_id", "date_open")
    def _compute_warranty_computed(self):
        by_date = defaultdict(lambda: self.browse())
        for case in self:
            on_date = fields.Date.to_date(case.date_open or fields.Datetime.now())
            by_date[on_date] |= case
        for on_date, cases in by_date.items():
            facts = cases.lot_id._device_facts(on_date)
            for case in cases:
                fact = facts.get(case.lot_id.id, {})
                case.warranty_computed = fact.get("warranty_status", "unknown")

    @api.depends("warranty_computed", "warranty_override")
    def _compute_warranty_status(self):
        for case in self:
            case.warranty_status = case.warranty_override or case.warranty_computed

    @api.depends("repair_ids")
    def _compute_repair_count(self):
        for case in self:
            case.repair_count = len(case.repair_ids)

    @api.depends("cost_ids.amount", "cost_ids.charge_to")
    def _compute_cost_totals(self):
        for case in self:
            company = sum(
                case.cost_ids.filtered(lambda c: c.charge_to == "company").mapped(
                    "amount"
                )
            )
            total = sum(case.cost_ids.mapped("amount"))
            case.cost_company = company
            case.cost_customer = total - company
            case.cost_total = total

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for case in self:
            case.access_url = f"/my/service/{case.id}"
        return result

    def _group_expand_states(self, states, domain):
        return [key for key, _label in self._fields["state"].selection]

    # ------------------------------------------------------------------
    # Constraints and onchanges
    # ------------------------------------------------------------------

    @api.constrains("lot_id", "product_id")
    def _check_lot_product(self):
        for case in self:
            if case.lot_id.product_id != case.product_id:
                raise ValidationError(
                    self.env._(
                        "Serial number %(serial)s belongs to %(owner)s, not to "
                        "%(product)s.",
                        serial=case.lot_id.name,
                        owner=case.lot_id.product_id.display_name,
                        product=case.product_id.display_name,
                    )
                )

    @api.constrains("warranty_override", "warranty_override_reason")
    def _check_override_reason(self):
        for case in self:
            if case.warranty_override and not case.warranty_override_reason:
                raise ValidationError(
                    self.env._("Give the reason for overriding the warranty status.")
                )

    @api.onchange("lot_id")
    def _onchange_lot_id(self):
        if self.lot_id:
            self.product_id = self.lot_id.product_id
            if not self.partner_id:
                self.partner_id = self.lot_id.crm_owner_id

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        Sequence = self.env["ir.sequence"].sudo()
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = Sequence.next_by_code("crm.service.case") or "/"
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Flow
    # ------------------------------------------------------------------

    def _move_to(self, state, allowed):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for case in self:
            if case.state not in allowed:
                raise UserError(
                    self.env._(
                        "%(case)s is %(state)s: it cannot become %(target)s.",
                        case=case.name,
                        state=labels[case.state],
                        target=labels[state],
                    )
                )
        self.write({"state": state})

    def action_diagnose(self):
        self._move_to("diagnosed", ("new",))
        self.date_responded = fields.Datetime.now()

    def action_start_repair(self):
        self._move_to(
            "in_repair", ("new", "diagnosed", "waiting_parts", "waiting_customer")
        )
        self.filtered(
            lambda c: not c.date_responded
        ).date_responded = fields.Datetime.now()

    def action_wait_parts(self):
        self._move_to("waiting_parts", ("diagnosed", "in_repair"))

    def action_wait_customer(self):
        self._move_to("waiting_customer", ("diagnosed", "in_repair"))

    def action_resolve(self):
        for case in self:
            if not case.resolution or not case.resolution.striptags().strip():
                raise UserError(
                    self.env._(
                        "%(case)s: describe the resolution first.", case=case.name
                    )
                )
        self._move_to("resolved", OPEN_STATES)
        self.date_resolved = fields.Datetime.now()

    def action_close(self):
        open_repairs = self.repair_ids.filtered(
            lambda r: r.state not in ("done", "cancel")
        )
        if open_repairs:
            raise UserError(
                self.env._(
                    "Finish or cancel the repair orders first: %(repairs)s.",
                    repairs=", ".join(open_repairs.mapped("name")),
                )
            )
        self._move_to("closed", ("resolved",))

    def action_reject(self):
        for case in self:
            if not case.rejection_reason:
                raise UserError(
                    self.env._(
                        "%(case)s: give the reason for rejecting it.", case=case.name
                    )
                )
        self._move_to("rejected", OPEN_STATES)

    def action_reopen(self):
        self._move_to("in_repair", ("resolved", "rejected"))
        self.date_resolved = False

    def _barcode_svg(self):
        """The case number as a Code 128 barcode, for the ticket."""
        self.ensure_one()
        return code128_svg(self.name)

    # ------------------------------------------------------------------
    # Repairs and costs
    # ------------------------------------------------------------------

    def action_create_repair(self):
        """A workshop repair order for the device, under warranty if the
        case is."""
        self.ensure_one()
        if self.state not in OPEN_STATES:
            raise UserError(self.env._("%(case)s is no longer open.", case=self.name))
        repair = self.env["repair.order"].create(
            {
                "service_case_id": self.id,
                "company_id": self.company_id.id,
                "partner_id": self.partner_id.id,
                "product_id": self.product_id.id,
                "lot_id": self.lot_id.id,
                "under_warranty": self.warranty_status in COVERED,
                "internal_notes": self.problem,
                "user_id": (self.user_id or self.env.user).id,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "repair.order",
            "res_id": repair.id,
            "view_mode": "form",
        }

    def action_view_repairs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "repair.action_repair_order_tree"
        )
        action["domain"] = [("service_case_id", "=", self.id)]
        action["context"] = {"default_service_case_id": self.id}
        return action

    def _sync_repair_parts(self):
        """Cost lines for the parts the repair orders used (done moves)."""
        moves = self.env["stock.move"].search(
            [
                ("repair_id.service_case_id", "in", self.ids),
                ("repair_line_type", "=", "add"),
                ("state", "=", "done"),
            ]
        )
        known = set(
            self.env["crm.service.cost"]
            .search([("repair_move_id", "in", moves.ids)])
            .mapped("repair_move_id")
            .ids
        )
        self.env["crm.service.cost"].create(
            [
                {
                    "case_id": move.repair_id.service_case_id.id,
                    "cost_type": "part",
                    "name": move.product_id.display_name,
                    "product_id": move.product_id.id,
                    "quantity": move.quantity,
                    "unit_cost": move.product_id.standard_price,
                    "repair_move_id": move.id,
                }
                for move in moves
                if move.id not in known
            ]
        )

    # ------------------------------------------------------------------
    # Intake
    # ------------------------------------------------------------------

    @api.model
    def _open_for_lot(self, lot):
        """The open case of ``lot``, or a new one pre-filled from its facts.

        The serial's row is locked first, so two scans of one device at the
        same moment cannot both find no case and open two.
        """
        self.env.cr.execute(
            SQL("SELECT id FROM stock_lot WHERE id = %s FOR UPDATE", lot.id)
        )
        case = self.search(
            [("lot_id", "=", lot.id), ("state", "in", OPEN_STATES)],
            order="date_open desc",
            limit=1,
        )
        if not case:
            facts = lot._device_facts()[lot.id]
            owner = self.env["res.partner"].browse(facts["owner_id"])
            if not owner:
                return {
                    "type": "ir.actions.act_window",
                    "res_model": "crm.service.case",
                    "view_mode": "form",
                    "views": [(False, "form")],
                    "target": "current",
                    "context": {
                        "default_lot_id": lot.id,
                        "default_product_id": lot.product_id.id,
                        "default_company_id": lot.company_id.id or self.env.company.id,
                    },
                }
            case = self.create(
                {
                    "lot_id": lot.id,
                    "product_id": lot.product_id.id,
                    "partner_id": owner.commercial_partner_id.id,
                    "contact_id": owner.id if owner.parent_id else False,
                    "company_id": lot.company_id.id or self.env.company.id,
                    "case_type": "warranty"
                    if facts["warranty_status"] in COVERED
                    else "repair",
                }
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.service.case",
            "res_id": case.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
