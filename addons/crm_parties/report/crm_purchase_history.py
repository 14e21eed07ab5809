from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import drop_index, index_exists

from ..tools.domain import ids_read_by_id


class CrmPurchaseHistory(models.Model):
    """What each customer bought: per product, net of credit notes.

    From the product lines of posted customer invoices and credit notes
    (credit notes count negative), grouped by customer and product, in the
    company currency.
    """

    _name = "crm.purchase.history"
    _description = "Customer Purchase History"
    _auto = False
    _order = "amount desc, id"
    _rec_name = "product_id"
    _depends = {
        "account.move.line": [
            "balance",
            "company_currency_id",
            "company_id",
            "display_type",
            "invoice_date",
            "move_id",
            "move_type",
            "parent_state",
            "partner_id",
            "product_id",
            "quantity",
        ],
    }

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    company_currency_id = fields.Many2one("res.currency", readonly=True)
    quantity = fields.Float(readonly=True, digits="Product Unit of Measure")
    amount = fields.Monetary(
        string="Amount (untaxed)", currency_field="company_currency_id", readonly=True
    )
    last_date = fields.Date(string="Last purchase", readonly=True, aggregator="max")
    invoice_count = fields.Integer(string="Invoices", readonly=True)

    def init(self):
        # A customer's sold lines in the order of the view's groups, with all
        # it reads of them (their entry's type included, copied on the line):
        # its history is an index-only scan, summed without a sort.
        cr = self.env.cr
        drop_index(cr, "crm_parties_aml_sold_product_idx", "account_move_line")
        if not index_exists(cr, "crm_parties_aml_customer_product_idx"):
            cr.execute(
                SQL(
                    """
                    CREATE INDEX crm_parties_aml_customer_product_idx
                        ON account_move_line (partner_id, product_id, company_id,
                                              company_currency_id, move_id)
                           INCLUDE (id, quantity, balance, invoice_date, move_type)
                     WHERE display_type = 'product' AND product_id IS NOT NULL
                       AND parent_state = 'posted'
                       AND move_type IN ('out_invoice', 'out_refund')
                    """
                )
            )

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        # Rows read by id (``fetch()``, an export of chosen rows): PostgreSQL
        # would group every product line before keeping them. A row's id is
        # one of its lines, so the customers of those lines narrow the view
        # down first.
        read_ids = ids_read_by_id(domain)
        if read_ids:
            self.env["account.move.line"].flush_model(["partner_id"])
            partner_ids = [
                partner_id
                for (partner_id,) in self.env.execute_query(
                    SQL(
                        "SELECT DISTINCT partner_id FROM account_move_line"
                        " WHERE id = ANY(%s)",
                        read_ids,
                    )
                )
            ]
            domain = [("partner_id", "in", partner_ids), *domain]
        return super()._search(domain, offset, limit, order)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT MIN(line.id) AS id, line.partner_id, line.product_id,
                   line.company_id, line.company_currency_id,
                   SUM(CASE WHEN line.move_type = 'out_refund'
                            THEN -line.quantity ELSE line.quantity END) AS quantity,
                   SUM(-line.balance) AS amount,
                   MAX(line.invoice_date) AS last_date,
                   COUNT(DISTINCT line.move_id) AS invoice_count
              FROM account_move_line line
             WHERE line.move_type IN ('out_invoice', 'out_refund')
               AND line.parent_state = 'posted'
               AND line.display_type = 'product'
               AND line.product_id IS NOT NULL
               AND line.partner_id IS NOT NULL
             GROUP BY line.partner_id, line.product_id, line.company_id,
                      line.company_currency_id
            """
        )
