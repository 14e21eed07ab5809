from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmDocumentLocation(models.Model):
    """Where paper originals are kept: site → room → cabinet → shelf → binder."""

    _name = "crm.document.location"
    _description = "Archive Location"
    _inherit = ["crm.barcode.label.mixin"]
    _barcode_prefix = "LOC"
    _parent_store = True
    _rec_name = "complete_name"
    _order = "complete_name"

    name = fields.Char(required=True)
    kind = fields.Selection(
        [
            ("site", "Site"),
            ("room", "Room"),
            ("cabinet", "Cabinet"),
            ("shelf", "Shelf"),
            ("binder", "Binder"),
        ],
        required=True,
        default="binder",
    )
    parent_id = fields.Many2one(
        "crm.document.location", index=True, ondelete="restrict"
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("crm.document.location", "parent_id")
    complete_name = fields.Char(
        compute="_compute_complete_name", store=True, recursive=True
    )
    document_ids = fields.One2many("crm.document", "location_id", string="Documents")
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)

    _sql_constraints = [
        ("barcode_uniq", "unique (barcode)", "This barcode is already used."),
    ]

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for location in self:
            parent = location.parent_id.complete_name
            location.complete_name = (
                f"{parent} / {location.name}" if parent else location.name
            )

    @api.constrains("parent_id")
    def _check_parent(self):
        if self._has_cycle():
            raise ValidationError(self.env._("A location cannot be inside itself."))
