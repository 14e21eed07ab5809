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


class StockLot(models.Model):
    """A serial number as a device: who has it, its warranty, its service.

    ``_device_facts()`` reads, for many serials at once and with a few
    indexed queries, what the stock and accounting records say: the
    deliveries to and returns from customers (the owners), the sale, the
    invoice date and the extended warranties sold with it. Everything shown
    on the serial is computed from it; the manual warranty dates, when set,
    take precedence (devices sold before the system, goodwill).
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
        facts = self._origin._device_facts(self.env.context.get("warranty_date"))
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

        Two to four indexed queries for any number of serials, and no ORM
        read: the intake resolves a scan with it on every keystroke.

        :return: {lot id: {owner_id, sale_order_id, delivery_date,
            invoice_date, warranty_start, warranty_end,
            warranty_extended_end, warranty_status, move_line_ids}}
        """
        lot_ids = [lot_id for lot_id in self.ids if isinstance(lot_id, int)]
        if not lot_ids:
            return {}
        on_date = fields.Date.to_date(on_date) or fields.Date.context_today(self)
        for model, fnames in (
            (
                "stock.lot",
                ["product_id", "warranty_start_manual", "warranty_end_manual"],
            ),
            ("stock.move.line", ["date", "lot_id", "location_dest_id", "state"]),
            ("stock.move", ["partner_id", "sale_line_id"]),
            ("stock.picking", ["partner_id"]),
            ("sale.order.line", ["order_id", "product_id", "product_uom_qty"]),
            ("account.move", ["invoice_date", "state"]),
        ):
            self.env[model].flush_model(fnames)
        settings = self._warranty_settings(lot_ids)
        moves = self._customer_moves(lot_ids)
        first_sales = {
            lot_id: rows[0]
            for lot_id, rows in moves.items()
            if rows[0]["to_customer"] and rows[0]["sale_line_id"]
        }
        by_invoice = {
            row["sale_line_id"]
            for lot_id, row in first_sales.items()
            if settings[lot_id]["warranty_start"] == "invoice"
        }
        invoice_dates = self._invoice_dates(by_invoice)
        extensions = self._extended_warranties(
            {row["order_id"] for row in first_sales.values()}
        )
        facts = {}
        for lot_id in lot_ids:
            rows = moves.get(lot_id, [])
            deliveries = [row for row in rows if row["to_customer"]]
            last = rows[-1] if rows else None
            sale = first_sales.get(lot_id, {})
            fact = {
                "owner_id": last["partner_id"]
                if last and last["to_customer"]
                else False,
                "sale_order_id": sale.get("order_id", False),
                "delivery_date": deliveries[0]["date"].date() if deliveries else False,
                "invoice_date": invoice_dates.get(sale.get("sale_line_id"), False),
                "move_line_ids": [row["id"] for row in rows],
            }
            fact.update(
                self._warranty_dates(
                    settings[lot_id],
                    fact["delivery_date"],
                    fact["invoice_date"],
                    extensions.get(sale.get("order_id"), []),
                    on_date,
                )
            )
            facts[lot_id] = fact
        return facts

    def _warranty_settings(self, lot_ids):
        """The warranty rules of each serial's product, and its manual dates."""
        self.env.cr.execute(
            SQL(
                """
                SELECT lot.id, tmpl.id AS template_id, tmpl.warranty_months,
                       tmpl.warranty_start, lot.warranty_start_manual,
                       lot.warranty_end_manual
                  FROM stock_lot lot
                  JOIN product_product product ON product.id = lot.product_id
                  JOIN product_template tmpl ON tmpl.id = product.product_tmpl_id
                 WHERE lot.id = ANY(%(lots)s)
                """,
                lots=lot_ids,
            )
        )
        return {row["id"]: row for row in self.env.cr.dictfetchall()}

    def _customer_moves(self, lot_ids):
        """Done moves of the serials to and from customers, oldest first."""
        self.env.cr.execute(
            SQL(
                """
                SELECT sml.id, sml.lot_id, sml.date,
                       dest.usage = 'customer' AS to_customer,
                       COALESCE(picking.partner_id, move.partner_id) AS partner_id,
                       move.sale_line_id, sale_line.order_id
                  FROM stock_move_line sml
                  JOIN stock_move move ON move.id = sml.move_id
                  JOIN stock_location src ON src.id = sml.location_id
                  JOIN stock_location dest ON dest.id = sml.location_dest_id
             LEFT JOIN stock_picking picking ON picking.id = sml.picking_id
             LEFT JOIN sale_order_line sale_line ON sale_line.id = move.sale_line_id
                 WHERE sml.lot_id = ANY(%(lots)s)
                   AND sml.state = 'done'
                   AND (dest.usage = 'customer') <> (src.usage = 'customer')
              ORDER BY sml.lot_id, sml.date, sml.id
                """,
                lots=lot_ids,
            )
        )
        moves = defaultdict(list)
        for row in self.env.cr.dictfetchall():
            moves[row["lot_id"]].append(row)
        return moves

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

    def _extended_warranties(self, order_ids):
        """Extended warranties sold on each order: [(months, covered
        product template ids, empty for all)]."""
        if not order_ids:
            return {}
        self.env.cr.execute(
            SQL(
                """
                SELECT line.order_id, tmpl.extended_warranty_months,
                       ARRAY(SELECT rel.product_id
                               FROM product_template_extended_warranty_rel rel
                              WHERE rel.warranty_id = tmpl.id) AS covered
                  FROM sale_order_line line
                  JOIN product_product product ON product.id = line.product_id
                  JOIN product_template tmpl ON tmpl.id = product.product_tmpl_id
                 WHERE line.order_id = ANY(%(orders)s)
                   AND tmpl.is_extended_warranty
                   AND line.product_uom_qty > 0
                """,
                orders=list(order_ids),
            )
        )
        extensions = defaultdict(list)
        for order_id, months, covered in self.env.cr.fetchall():
            extensions[order_id].append((months, set(covered)))
        return extensions

    @api.model
    def _warranty_dates(
        self, settings, delivery_date, invoice_date, extensions, on_date
    ):
        """A serial's warranty by its product's rules (``settings``)."""
        if settings["warranty_start"] == "invoice":
            start = invoice_date or delivery_date
        else:
            start = delivery_date or invoice_date
        start = settings["warranty_start_manual"] or start
        end = False
        if start and settings["warranty_months"]:
            end = start + relativedelta(months=settings["warranty_months"], days=-1)
        end = settings["warranty_end_manual"] or end
        extra = sum(
            months
            for months, covered in extensions
            if not covered or settings["template_id"] in covered
        )
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
