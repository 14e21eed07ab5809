from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmDocumentMovement(models.Model):
    """The paper original lent to someone, and when it came back."""

    _name = "crm.document.movement"
    _description = "Document Lending"
    _order = "date_lent desc, id desc"

    document_id = fields.Many2one(
        "crm.document", required=True, index=True, ondelete="cascade"
    )
    lent_to_id = fields.Many2one("res.partner", string="Lent to", required=True)
    date_lent = fields.Date(
        string="Lent on", required=True, default=fields.Date.context_today
    )
    date_expected = fields.Date(string="Expected back")
    date_returned = fields.Date(string="Returned on")
    note = fields.Char()
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue", search="_search_is_overdue"
    )
    company_id = fields.Many2one(related="document_id.company_id", store=True)

    @api.depends("date_expected", "date_returned")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for move in self:
            move.is_overdue = bool(
                not move.date_returned
                and move.date_expected
                and move.date_expected < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Unsupported search on 'Overdue'."))
        today = fields.Date.context_today(self)
        if (operator == "=") == value:
            return [("date_returned", "=", False), ("date_expected", "<", today)]
        return [
            "|",
            "|",
            ("date_returned", "!=", False),
            ("date_expected", "=", False),
            ("date_expected", ">=", today),
        ]

    @api.constrains("document_id", "date_returned")
    def _check_one_open(self):
        for move in self:
            open_moves = move.document_id.movement_ids.filtered(
                lambda m: not m.date_returned
            )
            if len(open_moves) > 1:
                raise ValidationError(
                    self.env._(
                        "%(doc)s is already lent to %(who)s.",
                        doc=move.document_id.display_name,
                        who=(open_moves - move)[:1].lent_to_id.name,
                    )
                )

    @api.constrains("date_lent", "date_expected", "date_returned")
    def _check_dates(self):
        for move in self:
            for later in (move.date_expected, move.date_returned):
                if later and later < move.date_lent:
                    raise ValidationError(
                        self.env._("A document cannot come back before it was lent.")
                    )
