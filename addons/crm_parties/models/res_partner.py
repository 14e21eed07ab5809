from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

# Kinds of timeline event that count as a contact with the customer.
CONTACT_KINDS = ("message", "meeting", "activity")


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Classification
    relationship_type_ids = fields.Many2many(
        "crm.relationship.type",
        string="Relationship",
        tracking=True,
        help="What this partner is to us; several are allowed.",
    )
    company_size = fields.Selection(
        [
            ("micro", "Micro (1-9)"),
            ("small", "Small (10-49)"),
            ("medium", "Medium (50-249)"),
            ("large", "Large (250+)"),
        ],
        tracking=True,
    )
    acquisition_source_id = fields.Many2one(
        "utm.source", string="Acquired through", tracking=True
    )
    contact_department = fields.Char(
        string="Department in company", help="Department of this person in the company."
    )

    # Holding structure
    group_parent_id = fields.Many2one(
        "res.partner",
        string="Parent in group",
        index=True,
        tracking=True,
        domain="[('is_company', '=', True), ('id', '!=', id)]",
        help="The company this one belongs to in its group (holding, "
        "subsidiary, branch...). Not the 'works at' company of a person.",
    )
    group_role_id = fields.Many2one(
        "crm.group.role", string="Role in group", tracking=True
    )
    group_child_ids = fields.One2many(
        "res.partner", "group_parent_id", string="Group members below"
    )
    group_root_id = fields.Many2one(
        "res.partner",
        string="Group",
        compute="_compute_group_root_id",
        store=True,
        recursive=True,
        index=True,
    )
    group_member_count = fields.Integer(compute="_compute_group_totals")
    group_opportunity_count = fields.Integer(compute="_compute_group_totals")
    group_sale_amount = fields.Monetary(
        string="Group sales",
        compute="_compute_group_totals",
        currency_field="group_currency_id",
    )
    group_currency_id = fields.Many2one("res.currency", compute="_compute_group_totals")

    # Commercial terms
    discount_level_id = fields.Many2one(
        "crm.discount.level",
        tracking=True,
        check_company=True,
        help="Applied by default to this customer's quotations and invoices.",
    )
    accepted_payment_method_ids = fields.Many2many(
        "account.payment.method",
        string="Accepted payment methods",
        domain="[('payment_type', '=', 'inbound')]",
    )
    credit_exposure = fields.Monetary(
        compute="_compute_credit_exposure",
        groups="account.group_account_invoice,account.group_account_readonly,"
        "sales_team.group_sale_manager",
        help="Open receivables plus confirmed sales not invoiced yet, to compare "
        "with the credit limit.",
    )

    # Satisfaction
    satisfaction_assessment_ids = fields.One2many(
        "crm.satisfaction.assessment", "partner_id", string="Satisfaction history"
    )
    satisfaction_level = fields.Integer(
        compute="_compute_satisfaction", store=True, aggregator="avg"
    )
    satisfaction_date = fields.Date(
        string="Last assessed", compute="_compute_satisfaction", store=True
    )
    satisfaction_trend = fields.Selection(
        [("up", "Improving"), ("stable", "Stable"), ("down", "Worsening")],
        compute="_compute_satisfaction",
        store=True,
    )

    # Receivables and trading history (accounting data, never copied)
    receivable_overdue = fields.Monetary(
        string="Overdue",
        compute="_compute_receivable_figures",
        groups="crm_parties.group_receivables",
    )
    average_days_to_pay = fields.Integer(
        compute="_compute_receivable_figures",
        groups="crm_parties.group_receivables",
        help="Average days from invoice date to full payment, over paid invoices.",
    )
    last_payment_date = fields.Date(
        compute="_compute_receivable_figures",
        groups="crm_parties.group_receivables",
    )

    # KPIs
    timeline_event_count = fields.Integer(compute="_compute_timeline_kpis")
    last_contact_date = fields.Datetime(compute="_compute_timeline_kpis")
    last_contact_channel = fields.Char(compute="_compute_timeline_kpis")
    days_since_last_order = fields.Integer(compute="_compute_days_since_last_order")

    @api.depends("group_parent_id.group_root_id")
    def _compute_group_root_id(self):
        for partner in self:
            parent = partner.group_parent_id
            partner.group_root_id = (parent.group_root_id or parent) or partner

    def _group_descendant_map(self):
        """``{partner id: [it and all ids below it in its group]}``, in one query."""
        if not self.ids:
            return {}
        self.flush_model(["group_parent_id"])
        rows = self.env.execute_query(
            SQL(
                """
                WITH RECURSIVE tree(top_id, id) AS (
                    SELECT id, id FROM res_partner WHERE id = ANY(%(ids)s)
                    UNION
                    SELECT tree.top_id, child.id
                      FROM res_partner child
                      JOIN tree ON child.group_parent_id = tree.id
                )
                SELECT top_id, array_agg(id) FROM tree GROUP BY top_id
                """,
                ids=self.ids,
            )
        )
        return dict(rows)

    def _compute_group_totals(self):
        descendants = self._group_descendant_map()
        all_ids = {pid for ids in descendants.values() for pid in ids}
        opportunities = dict(
            self.env["crm.lead"]._read_group(
                [
                    ("partner_id.commercial_partner_id", "in", list(all_ids)),
                    ("type", "=", "opportunity"),
                    ("stage_id.is_won", "=", False),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        sales = {
            partner.id: amount
            for partner, amount in self.env["sale.report"]._read_group(
                [
                    ("commercial_partner_id", "in", list(all_ids)),
                    ("state", "=", "sale"),
                ],
                ["commercial_partner_id"],
                ["price_subtotal:sum"],
            )
        }
        opportunity_by_id = {}
        for partner, count in opportunities.items():
            commercial = partner.commercial_partner_id.id
            opportunity_by_id[commercial] = opportunity_by_id.get(commercial, 0) + count
        for partner in self:
            members = descendants.get(partner.id, [partner.id])
            partner.group_member_count = len(members)
            partner.group_opportunity_count = sum(
                opportunity_by_id.get(pid, 0) for pid in members
            )
            partner.group_sale_amount = sum(sales.get(pid, 0.0) for pid in members)
            partner.group_currency_id = self.env.company.currency_id

    @api.depends_context("allowed_company_ids")
    def _compute_receivable_figures(self):
        commercial = self.commercial_partner_id
        overdue = dict(
            self.env["crm.aging.line"]
            .with_context(aging_partner_ids=commercial.ids)
            ._read_group(
                [
                    ("partner_id", "in", commercial.ids),
                    ("bucket_id.kind", "=", "overdue"),
                    ("company_id", "in", self.env.companies.ids),
                ],
                ["partner_id"],
                ["amount_open:sum"],
            )
        )
        # read in SQL below: a payment just registered is written first
        self.env["account.move"].flush_model(
            [
                "commercial_partner_id",
                "move_type",
                "state",
                "payment_state",
                "company_id",
                "invoice_date",
                "last_reconciliation_date",
            ]
        )
        days_to_pay = dict(
            self.env.execute_query(
                SQL(
                    # An index-only scan of the customers' entries
                    # (crm.aging.line's init()), with the day each invoice was
                    # last reconciled stored on it (account.move).
                    """
                    SELECT commercial_partner_id,
                           ROUND(AVG(last_reconciliation_date - invoice_date))
                      FROM account_move
                     WHERE commercial_partner_id = ANY(%(partners)s)
                       AND move_type = 'out_invoice'
                       AND state = 'posted'
                       AND payment_state IN ('paid', 'in_payment')
                       AND company_id = ANY(%(companies)s)
                       AND last_reconciliation_date IS NOT NULL
                     GROUP BY commercial_partner_id
                    """,
                    partners=commercial.ids,
                    companies=self.env.companies.ids,
                )
            )
        )
        last_payments = dict(
            self.env["account.payment"]._read_group(
                [
                    ("partner_id", "in", commercial.ids),
                    ("partner_type", "=", "customer"),
                    ("payment_type", "=", "inbound"),
                    ("state", "in", ("in_process", "paid")),
                    ("company_id", "in", self.env.companies.ids),
                ],
                ["partner_id"],
                ["date:max"],
            )
        )
        for partner in self:
            main = partner.commercial_partner_id
            partner.receivable_overdue = overdue.get(main, 0.0)
            partner.average_days_to_pay = days_to_pay.get(main.id, 0)
            partner.last_payment_date = last_payments.get(main, False)

    @api.depends("credit", "credit_to_invoice")
    def _compute_credit_exposure(self):
        for partner in self:
            partner.credit_exposure = partner.credit + partner.credit_to_invoice

    @api.depends(
        "satisfaction_assessment_ids.level", "satisfaction_assessment_ids.date"
    )
    def _compute_satisfaction(self):
        for partner in self:
            latest = partner.satisfaction_assessment_ids.sorted(
                lambda a: (a.date, a.id), reverse=True
            )[:2]
            partner.satisfaction_level = latest[:1].level
            partner.satisfaction_date = latest[:1].date
            if len(latest) < 2:
                partner.satisfaction_trend = False
            elif latest[0].level > latest[1].level:
                partner.satisfaction_trend = "up"
            elif latest[0].level < latest[1].level:
                partner.satisfaction_trend = "down"
            else:
                partner.satisfaction_trend = "stable"

    def _compute_timeline_kpis(self):
        """Count and latest contact of each partner, in one pass over the timeline."""
        Event = self.env["crm.timeline.event"]
        query = Event._search(
            [("commercial_partner_id", "in", self.commercial_partner_id.ids)]
        )
        event = SQL.identifier(query.table)
        is_contact = SQL(
            "%s.kind IN %s AND %s.date <= %s",
            event,
            CONTACT_KINDS,
            event,
            fields.Datetime.now(),
        )
        query.order = None
        query.groupby = SQL("%s.commercial_partner_id", event)
        rows = self.env.execute_query(
            query.select(
                SQL(
                    """%(e)s.commercial_partner_id, COUNT(*),
                       (ARRAY_AGG(%(e)s.date ORDER BY %(e)s.date DESC)
                            FILTER (WHERE %(contact)s))[1],
                       (ARRAY_AGG(%(e)s.kind ORDER BY %(e)s.date DESC)
                            FILTER (WHERE %(contact)s))[1]""",
                    e=event,
                    contact=is_contact,
                )
            )
        )
        kpis = {partner_id: values for partner_id, *values in rows}
        kind_labels = dict(Event._fields["kind"]._description_selection(self.env))
        for partner in self:
            count, date, kind = kpis.get(
                partner.commercial_partner_id.id, (0, False, False)
            )
            partner.timeline_event_count = count
            partner.last_contact_date = date
            partner.last_contact_channel = kind_labels.get(kind, False)

    def _compute_days_since_last_order(self):
        last_orders = dict(
            self.env["sale.order"]._read_group(
                [
                    (
                        "partner_id.commercial_partner_id",
                        "in",
                        self.commercial_partner_id.ids,
                    ),
                    ("state", "=", "sale"),
                ],
                ["partner_id"],
                ["date_order:max"],
            )
        )
        last_by_commercial = {}
        for partner, date in last_orders.items():
            key = partner.commercial_partner_id.id
            last_by_commercial[key] = max(date, last_by_commercial.get(key, date))
        now = fields.Datetime.now()
        for partner in self:
            date = last_by_commercial.get(partner.commercial_partner_id.id)
            partner.days_since_last_order = (now - date).days if date else -1

    @api.constrains("group_parent_id")
    def _check_group_parent(self):
        for partner in self.filtered("group_parent_id"):
            parent = partner.group_parent_id
            if parent == partner:
                raise ValidationError(
                    self.env._(
                        "%(partner)s cannot be its own parent in a group.",
                        partner=partner.display_name,
                    )
                )
            if partner.company_id and parent.company_id != partner.company_id:
                raise ValidationError(
                    self.env._(
                        "%(partner)s belongs to company %(company)s and cannot be "
                        "placed under %(parent)s of another company.",
                        partner=partner.display_name,
                        company=partner.company_id.name,
                        parent=parent.display_name,
                    )
                )
        if self._has_cycle("group_parent_id"):
            raise ValidationError(
                self.env._(
                    "This group structure would contain a cycle: a company "
                    "cannot be placed under one of its own members."
                )
            )

    @api.model
    def _commercial_fields(self):
        return [
            *super()._commercial_fields(),
            "discount_level_id",
            "accepted_payment_method_ids",
        ]

    def action_open_group_tree(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_parties.res_partner_action_group_tree"
        )
        action["domain"] = [("group_root_id", "=", self.group_root_id.id)]
        action["context"] = {"hierarchy_res_id": self.id}
        return action

    def _receivable_partner_ids(self):
        """This customer, or with ``crm_group`` in the context its whole group."""
        self.ensure_one()
        if self.env.context.get("crm_group"):
            return self._group_descendant_map()[self.group_root_id.id]
        return self.commercial_partner_id.ids

    def action_open_aging(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_parties.crm_aging_report_action"
        )
        action["context"] = {"aging_partner_ids": self._receivable_partner_ids()}
        return action

    def action_open_payments(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_parties.crm_payment_settlement_action"
        )
        action["domain"] = [("partner_id", "in", self._receivable_partner_ids())]
        return action

    def action_open_purchase_history(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_parties.crm_purchase_history_action"
        )
        action["domain"] = [("partner_id", "in", self._receivable_partner_ids())]
        return action

    def action_open_invoices_per_year(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_account_invoice_report_all"
        )
        action["domain"] = [
            ("commercial_partner_id", "in", self._receivable_partner_ids()),
            ("move_type", "in", ("out_invoice", "out_refund")),
        ]
        action["context"] = {
            "pivot_row_groupby": ["invoice_date:year"],
            "pivot_column_groupby": ["move_type"],
            "pivot_measures": ["price_subtotal"],
        }
        action["view_mode"] = "pivot,graph,list"
        action["views"] = [(False, "pivot"), (False, "graph"), (False, "list")]
        return action

    def action_open_timeline(self):
        return self._open_timeline(self.commercial_partner_id.ids)

    def _count_per_company(self, model_name, partner_field="partner_id"):
        """How many ``model_name`` records each partner's company has: those
        of the company itself and of all its contacts, in one grouped query.

        :return: {partner of ``self``: count}
        """
        groups = self.env[model_name]._read_group(
            [(partner_field, "child_of", self.commercial_partner_id.ids)],
            [partner_field],
            ["__count"],
        )
        per_company = defaultdict(int)
        for partner, count in groups:
            per_company[partner.commercial_partner_id] += count
        return {partner: per_company[partner.commercial_partner_id] for partner in self}

    def action_open_group_timeline(self):
        self.ensure_one()
        members = self._group_descendant_map()[self.group_root_id.id]
        return self._open_timeline(members)

    def _open_timeline(self, commercial_ids):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_parties.crm_timeline_event_action"
        )
        action["domain"] = [("commercial_partner_id", "in", commercial_ids)]
        action["display_name"] = self.env._(
            "Timeline of %(partner)s", partner=self.display_name
        )
        return action
