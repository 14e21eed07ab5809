import re

from odoo import api, fields, models
from odoo.exceptions import UserError

# What a scanner may type for a serial: printable, no spaces inside.
SERIAL_PATTERN = re.compile(r"^[\w./+\-#]{1,64}$")


class CrmServiceScan(models.TransientModel):
    """The service desk's intake: scan a device's serial number (a USB
    scanner typing into the field, or Odoo's barcode service) to open its
    case, pre-filled with the owner and the warranty, or the open case if
    there is one; an unknown serial can be registered on the spot."""

    _name = "crm.service.scan"
    _description = "Scan a Device"
    _inherit = ["barcodes.barcode_events_mixin"]

    code = fields.Char(string="Serial number")
    lot_ids = fields.Many2many("stock.lot", compute="_compute_lot_ids")
    lot_id = fields.Many2one(
        "stock.lot",
        string="Device",
        compute="_compute_lot_id",
        store=True,
        readonly=False,
        domain="[('id', 'in', lot_ids)]",
    )
    status = fields.Selection(
        [
            ("empty", "Waiting for a scan"),
            ("found", "Device found"),
            ("several", "Several products"),
            ("unknown", "Unknown serial"),
        ],
        compute="_compute_lot_ids",
    )
    owner_id = fields.Many2one(related="lot_id.crm_owner_id", string="Owner")
    warranty_status = fields.Selection(related="lot_id.warranty_status")
    warranty_end_date = fields.Date(related="lot_id.warranty_end_date")
    open_case_id = fields.Many2one("crm.service.case", compute="_compute_open_case_id")
    # To register an unknown serial
    product_id = fields.Many2one(
        "product.product", domain="[('tracking', '=', 'serial')]"
    )
    partner_id = fields.Many2one("res.partner", string="Customer")

    @api.depends("code")
    def _compute_lot_ids(self):
        for scan in self:
            code = scan._clean_code(raise_if_invalid=False)
            # the serials with their owner and warranty, in one statement
            lots = (
                self.env["stock.lot"]._search_device(code)
                if code
                else self.env["stock.lot"]
            )
            scan.lot_ids = lots
            if not code:
                scan.status = "empty"
            elif not lots:
                scan.status = "unknown"
            else:
                scan.status = "found" if len(lots) == 1 else "several"

    @api.depends("lot_ids")
    def _compute_lot_id(self):
        for scan in self:
            # the serial itself, not its copy in the form (a new record):
            # its facts are in cache since the search, the copy's are not
            scan.lot_id = scan.lot_ids._origin if len(scan.lot_ids) == 1 else False

    @api.depends("lot_id")
    def _compute_open_case_id(self):
        for scan in self:
            scan.open_case_id = (
                self.env["crm.service.case"].search(
                    [
                        ("lot_id", "in", scan.lot_id._origin.ids),
                        ("state", "not in", ("resolved", "closed", "rejected")),
                    ],
                    limit=1,
                )
                if scan.lot_id
                else False
            )

    def on_barcode_scanned(self, barcode):
        self.code = barcode

    def _clean_code(self, raise_if_invalid=True):
        """The scanned code without the scanner's padding, or an error."""
        code = (self.code or "").strip().strip("\x00\r\n\t")
        if not raise_if_invalid:
            return code if SERIAL_PATTERN.match(code) else ""
        if not code:
            raise UserError(
                self.env._("The scan is empty: scan the serial number again.")
            )
        if not SERIAL_PATTERN.match(code):
            raise UserError(
                self.env._(
                    "%(code)s is not a serial number (unexpected characters or "
                    "too long): scan it again or type it.",
                    code=repr(code)[1:-1][:80],
                )
            )
        return code

    def action_open_case(self):
        """Open the device's case (the open one, or a new one)."""
        self.ensure_one()
        self._clean_code()
        if not self.lot_ids:
            raise UserError(
                self.env._(
                    "Serial number %(code)s is unknown: choose its product to "
                    "register it.",
                    code=self.code.strip(),
                )
            )
        if not self.lot_id:
            raise UserError(
                self.env._(
                    "Serial number %(code)s exists for several products: choose "
                    "the device.",
                    code=self.code.strip(),
                )
            )
        return self.env["crm.service.case"]._open_for_lot(self.lot_id)

    def action_register(self):
        """Register the unknown serial for the chosen product, then open a
        case for it."""
        self.ensure_one()
        code = self._clean_code()
        if not self.product_id:
            raise UserError(
                self.env._("Choose the product of serial %(code)s.", code=code)
            )
        lot = self.env["stock.lot"].search(
            [("name", "=", code), ("product_id", "=", self.product_id.id)], limit=1
        ) or self.env["stock.lot"].create(
            {
                "name": code,
                "product_id": self.product_id.id,
                "company_id": self.env.company.id,
            }
        )
        action = self.env["crm.service.case"]._open_for_lot(lot)
        if self.partner_id and not action.get("res_id"):
            action["context"]["default_partner_id"] = self.partner_id.id
        return action
