from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from odoo.addons.crm_parties.tools.code128 import code128_svg

WARRANTY_STATUSES = [
    ("in_warranty", "In warranty"),
    ("extended", "Extended warranty"),
    ("out_of_warranty", "Out of warranty"),
    ("unknown", "Unknown"),
]
# What _device_facts_query() and _invoice_dates() read: flushed before.
DEVICE_FACTS_DEPENDS = [
    ("stock.lot", ["product_id", "warranty_start_manual", "warranty_end_manual"]),
    (
        "stock.move.line",
        [
            "date",
            "lot_id",
            "location_id",
            "location_dest_id",
            "move_id",
            "picking_id",
            "state",
        ],
    ),
    ("stock.move", ["partner_id", "sale_line_id"]),
    ("stock.picking", ["partner_id"]),
    ("sale.order.line", ["order_id", "product_id", "product_uom_qty"]),
    ("account.move", ["invoice_date", "state", "move_type"]),
]


class StockLot(models.Model):
    """A serial number as a device: who has it, its warranty, its service.

    ``_device_facts()`` reads, for many serials at once and with one
    indexed query (two if a warranty starts on the invoice), what the stock
    and accounting records say: the deliveries to and returns from customers
    (the owners), the sale, the invoice date and the extended warranties
    sold with it. Everything shown on the serial is computed from it; the
    manual warranty dates, when set, take precedence (devices sold before
    the system, goodwill). ``_search_device()`` finds a scanned serial and
    reads its facts in the same statement.
    """

    _inherit = "stock.lot"

    warranty_start_manual = fields.Date(
        string="Warranty from (manual)",
        tracking=True,
        help="Overrides the start computed from the delivery or the invoice.",
    )
    warranty_end_manual = fields.Date(
        string="Warranty until (manual)",
        tracking=True,
        help="Overrides the end computed from the product's warranty period.",
    )
    crm_owner_id = fields.Many2one(
        "res.partner", string="Owner", compute="_compute_device_facts"
    )
    crm_sale_order_id = fields.Many2one(
        "sale.order", string="Sold with", compute="_compute_device_facts"
    )
    crm_delivery_date = fields.Date(
        string="Delivered on", compute="_compute_device_facts"
    )
    crm_invoice_date = fields.Date(
        string="Invoiced on", compute="_compute_device_facts"
    )
    warranty_start_date = fields.Date(
        string="Warranty from", compute="_compute_device_facts"
    )
    warranty_end_date = fields.Date(
        string="Warranty until", compute="_compute_device_facts"
    )
    warranty_extended_end_date = fields.Date(
        string="Extended warranty until", compute="_compute_device_facts"
    )
    warranty_status = fields.Selection(
        WARRANTY_STATUSES, compute="_compute_device_facts"
    )
    crm_ownership_ids = fields.Many2many(
        "stock.move.line",
        string="Deliveries and returns",
        compute="_compute_device_facts",
    )
    service_case_ids = fields.One2many("crm.service.case", "lot_id")
    service_case_count = fields.Integer(compute="_compute_service_counts")
    repair_ids = fields.One2many("repair.order", "lot_id")
    repair_part_ids = fields.Many2many(
        "stock.move", string="Parts replaced", compute="_compute_service_counts"
    )
    service_cost_total = fields.Monetary(
        compute="_compute_service_counts", currency_field="company_currency_id"
    )
    company_currency_id = fields.Many2one(related="company_id.currency_id")

    def init(self):
        # A scanned serial is looked up by its exact name: Odoo 18 indexes
        # stock_lot.name for substring search only.
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS stock_lot_name_exact_index "
            "ON stock_lot (name, company_id)"
        )

    @api.depends("warranty_start_manual", "warranty_end_manual")
    @api.depends_context("warranty_date")
    def _compute_device_facts(self):
        # in a form's onchange the serials are new records: read their origin
        self._set_device_facts(
            self._origin._device_facts(self.env.context.get("warranty_date"))
        )

    def _set_device_facts(self, facts):
        """Assign the fields of ``_compute_device_facts`` from ``facts``."""
        for lot in self:
            fact = facts.get(lot._origin.id, {})
            lot.crm_owner_id = fact.get("owner_id")
            lot.crm_sale_order_id = fact.get("sale_order_id")
            lot.crm_delivery_date = fact.get("delivery_date")
            lot.crm_invoice_date = fact.get("invoice_date")
            lot.warranty_start_date = fact.get("warranty_start")
            lot.warranty_end_date = fact.get("warranty_end")
            lot.warranty_extended_end_date = fact.get("warranty_extended_end")
            lot.warranty_status = fact.get("warranty_status", "unknown")
            lot.crm_ownership_ids = fact.get("move_line_ids", [])

    @api.model
    def _device_fact_fields(self):
        """The fields computed by ``_compute_device_facts``."""
        return self.pool.field_computed[self._fields["warranty_status"]]

    def _compute_service_counts(self):
        counts = dict(
            self.env["crm.service.case"]._read_group(
                [("lot_id", "in", self.ids)], ["lot_id"], ["__count"]
            )
        )
        costs = dict(
            self.env["crm.service.cost"]._read_group(
                [("case_id.lot_id", "in", self.ids)], ["lot_id"], ["amount:sum"]
            )
        )
        parts = defaultdict(list)
        for move in self.env["stock.move"].search_fetch(
            [
                ("repair_id.lot_id", "in", self.ids),
                ("repair_line_type", "=", "add"),
                ("state", "=", "done"),
            ],
            ["repair_id"],
        ):
            parts[move.repair_id.lot_id.id].append(move.id)
        for lot in self:
            lot.service_case_count = counts.get(lot, 0)
            lot.service_cost_total = costs.get(lot, 0.0)
            lot.repair_part_ids = parts.get(lot.id, [])

    @api.constrains("warranty_start_manual", "warranty_end_manual")
    def _check_manual_warranty(self):
        for lot in self:
            start, end = lot.warranty_start_manual, lot.warranty_end_manual
            if start and end and end < start:
                raise ValidationError(
                    self.env._(
                        "Serial %(serial)s: the warranty cannot end (%(end)s) "
                        "before it starts (%(start)s).",
                        serial=lot.name,
                        end=fields.Date.to_string(end),
                        start=fields.Date.to_string(start),
                    )
                )

    # ------------------------------------------------------------------
    # Device facts
    # ------------------------------------------------------------------

    def _device_facts(self, on_date=None):
        """What the records say of each serial of ``self``, as of ``on_date``.

        One indexed query for any number of serials (``_device_facts_query``),
        a second one only for the serials whose warranty starts on the
        invoice, and no ORM read: the intake resolves a scan with it on every
        keystroke, and each statement costs a round trip and its planning.

        :return: {lot id: {owner_id, sale_order_id, delivery_date,
            invoice_date, warranty_start, warranty_end,
            warranty_extended_end, warranty_status, move_line_ids}}
        """
        lot_ids = [lot_id for lot_id in self.ids if isinstance(lot_id, int)]
        if not lot_ids:
            return {}
        return self._read_device_facts(SQL("lot.id = ANY(%s)", lot_ids), on_date)

    @api.model
    def _search_device(self, code):
        """The serials named ``code`` (exactly) that the user may see, in
        the current companies, with their device facts already in cache (as
        ``_compute_device_facts`` would compute them): a scan resolves to
        its devices, owners and warranties in one statement.

        Override point: the search domain is ``_search_device_domain``.
        """
        query = self._search(self._search_device_domain(code))
        # an array of ids, not IN (...): a join to plan on stock_lot's indexes
        facts = self._read_device_facts(
            SQL("lot.id = ANY(ARRAY(%s))", query.select()),
            self.env.context.get("warranty_date"),
        )
        lots = self.browse(sorted(facts))  # all named alike: in search order
        with self.env.protecting(self._device_fact_fields(), lots):
            lots._set_device_facts(facts)
        return lots

    @api.model
    def _search_device_domain(self, code):
        return [
            ("name", "=", code),
            ("company_id", "in", [*self.env.companies.ids, False]),
        ]

    @api.model
    def _read_device_facts(self, lot_condition, on_date=None):
        """``_device_facts()`` of the serials matching ``lot_condition`` (an
        SQL condition on ``stock_lot lot``)."""
        on_date = fields.Date.to_date(on_date) or fields.Date.context_today(self)
        for model, fnames in DEVICE_FACTS_DEPENDS:
            self.env[model].flush_model(fnames)
        self.env.cr.execute(self._device_facts_query(lot_condition))
        rows = self.env.cr.dictfetchall()
        invoice_dates = self._invoice_dates(
            {
                row["sale_line_id"]
                for row in rows
                if row["warranty_start"] == "invoice" and row["sale_line_id"]
            }
        )
        return {
            row["id"]: self._device_fact(
                row, invoice_dates.get(row["sale_line_id"], False), on_date
            )
            for row in rows
        }

    @api.model
    def _device_facts_query(self, lot_condition):
        """One row per serial matching ``lot_condition``: its product's
        warranty rules and manual dates; its done moves to and from
        customers (ids oldest first, the first delivery's date, the owner,
        i.e. the partner of the last move if it went to a customer, and the
        sale line of the first move if it did); that line's order; and the
        months of the extended warranties sold on the order that cover the
        product.

        Each step reads one table by an index, in a subquery of its own:
        joined, the planner would weigh every index of every table, and
        planning the statement would take longer than running it. For the
        same reason the invoice dates are left to ``_invoice_dates``:
        planning a read of ``account_move`` and its lines (dozens of indexes
        each) costs more than a second query, which products whose warranty
        starts on the delivery never need.
        """
        moves = SQL(
            """
            SELECT array_agg(sml.id ORDER BY sml.date, sml.id) AS move_line_ids,
                   MIN(sml.date) FILTER (WHERE sml.to_customer)::date
                       AS delivery_date,
                   (array_agg(sml.to_customer ORDER BY sml.date, sml.id))[1]
                       AS first_to_customer,
                   (array_agg(sml.move_id ORDER BY sml.date, sml.id))[1]
                       AS first_move_id,
                   (array_agg(sml.to_customer ORDER BY sml.date DESC, sml.id DESC))[1]
                       AS last_to_customer,
                   (array_agg(sml.move_id ORDER BY sml.date DESC, sml.id DESC))[1]
                       AS last_move_id,
                   (array_agg(sml.picking_id ORDER BY sml.date DESC, sml.id DESC))[1]
                       AS last_picking_id
              FROM (SELECT sml.id, sml.date, sml.move_id, sml.picking_id,
                           sml.location_dest_id = ANY(customer.ids) AS to_customer
                      FROM stock_move_line sml,
                           (SELECT ARRAY(SELECT id FROM stock_location
                                          WHERE usage = 'customer') AS ids
                            OFFSET 0) customer
                     WHERE sml.lot_id = lot.id
                       AND sml.state = 'done'
                       AND sml.move_id IS NOT NULL
                       AND (sml.location_dest_id = ANY(customer.ids))
                           <> (sml.location_id = ANY(customer.ids))) sml
            """
        )
        # OFFSET 0 keeps each level a subquery: flattened, its subqueries
        # would be copied (and planned again) wherever their column is used.
        lots = SQL(
            """
            SELECT lot.id, tmpl.id AS template_id, tmpl.warranty_months,
                   tmpl.warranty_start, lot.warranty_start_manual,
                   lot.warranty_end_manual, moves.move_line_ids,
                   moves.delivery_date,
                   CASE WHEN moves.last_to_customer THEN COALESCE(
                       (SELECT partner_id FROM stock_picking
                         WHERE id = moves.last_picking_id),
                       (SELECT partner_id FROM stock_move
                         WHERE id = moves.last_move_id)) END AS owner_id,
                   CASE WHEN moves.first_to_customer THEN
                       (SELECT sale_line_id FROM stock_move
                         WHERE id = moves.first_move_id) END AS sale_line_id
              FROM stock_lot lot
              JOIN product_product product ON product.id = lot.product_id
              JOIN product_template tmpl ON tmpl.id = product.product_tmpl_id
         LEFT JOIN LATERAL (%(moves)s) moves ON TRUE
             WHERE %(lot_condition)s
            OFFSET 0
            """,
            moves=moves,
            lot_condition=lot_condition,
        )
        # An extension covers the products it lists, or all if none.
        extension_months = SQL(
            """
            SELECT warranty.extended_warranty_months
              FROM product_template warranty
             WHERE warranty.id = (SELECT product_tmpl_id FROM product_product
                                   WHERE id = line.product_id)
               AND warranty.is_extended_warranty
               AND (SELECT COALESCE(bool_or(covered.product_id = facts.template_id),
                                    TRUE)
                      FROM product_template_extended_warranty_rel covered
                     WHERE covered.warranty_id = warranty.id)
            """
        )
        return SQL(
            """
            SELECT facts.*,
                   array_remove(ARRAY(SELECT (%(extension_months)s)
                                        FROM sale_order_line line
                                       WHERE line.order_id = facts.order_id
                                         AND line.product_uom_qty > 0), NULL)
                       AS extension_months
              FROM (SELECT lots.*,
                           (SELECT order_id FROM sale_order_line
                             WHERE id = lots.sale_line_id) AS order_id
                      FROM (%(lots)s) lots
                    OFFSET 0) facts
            """,
            lots=lots,
            extension_months=extension_months,
        )

    def _invoice_dates(self, sale_line_ids):
        """The first posted invoice date of each sale order line."""
        if not sale_line_ids:
            return {}
        self.env.cr.execute(
            SQL(
                """
                SELECT rel.order_line_id, MIN(move.invoice_date)
                  FROM sale_order_line_invoice_rel rel
                  JOIN account_move_line aml ON aml.id = rel.invoice_line_id
                  JOIN account_move move ON move.id = aml.move_id
                 WHERE rel.order_line_id = ANY(%(lines)s)
                   AND move.state = 'posted'
                   AND move.move_type = 'out_invoice'
              GROUP BY rel.order_line_id
                """,
                lines=list(sale_line_ids),
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _device_fact(self, row, invoice_date, on_date):
        """A serial's facts from its row of ``_device_facts_query``."""
        fact = {
            "owner_id": row["owner_id"] or False,
            "sale_order_id": row["order_id"] or False,
            "delivery_date": row["delivery_date"] or False,
            "invoice_date": invoice_date or False,
            "move_line_ids": row["move_line_ids"] or [],
        }
        fact.update(
            self._warranty_dates(
                row,
                fact["delivery_date"],
                fact["invoice_date"],
                row["extension_months"],
                on_date,
            )
        )
        return fact

    @api.model
    def _warranty_dates(
        self, settings, delivery_date, invoice_date, extension_months, on_date
    ):
        """A serial's warranty by its product's rules (``settings``), extended
        by ``extension_months`` (those of each extended warranty sold with it
        that covers its product)."""
        if settings["warranty_start"] == "invoice":
            start = invoice_date or delivery_date
        else:
            start = delivery_date or invoice_date
        start = settings["warranty_start_manual"] or start
        end = False
        if start and settings["warranty_months"]:
            end = start + relativedelta(months=settings["warranty_months"], days=-1)
        end = settings["warranty_end_manual"] or end
        extra = sum(extension_months)
        extended_end = end + relativedelta(months=extra) if end and extra else False
        if not start or not end:
            status = "unknown"
        elif start <= on_date <= end:
            status = "in_warranty"
        elif extended_end and end < on_date <= extended_end:
            status = "extended"
        elif on_date < start:
            status = "unknown"
        else:
            status = "out_of_warranty"
        return {
            "warranty_start": start,
            "warranty_end": end,
            "warranty_extended_end": extended_end,
            "warranty_status": status,
        }

    def _barcode_svg(self):
        """The serial number as a Code 128 barcode, for labels."""
        self.ensure_one()
        return code128_svg(self.name)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_view_service_cases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_service_serial.crm_service_case_action"
        )
        action["domain"] = [("lot_id", "=", self.id)]
        action["context"] = {
            "default_lot_id": self.id,
            "default_product_id": self.product_id.id,
            "default_partner_id": self.crm_owner_id.id,
        }
        return action

    def action_new_service_case(self):
        """Open a new case for this device, or its open one."""
        self.ensure_one()
        return self.env["crm.service.case"]._open_for_lot(self)
