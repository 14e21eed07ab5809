from odoo import models


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    def init(self):
        # A device's history reads its moves by serial: Odoo 18 does not
        # index stock_move_line.lot_id.
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS stock_move_line_lot_id_index "
            "ON stock_move_line (lot_id) WHERE lot_id IS NOT NULL"
        )
