from odoo import api, fields, models

from odoo.addons.crm_parties.tools.code128 import code128_svg


class CrmBarcodeLabelMixin(models.AbstractModel):
    """A printable Code 128 label for a record (``python-barcode``).

    Override point: ``_barcode_prefix``, the letters before the record id in
    the default code (``DOC0000042``).
    """

    _name = "crm.barcode.label.mixin"
    _description = "Barcode Label"
    _barcode_prefix = "X"

    barcode = fields.Char(copy=False, index=True)

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        for record in records.filtered(lambda r: not r.barcode):
            record.barcode = f"{self._barcode_prefix}{record.id:07d}"
        return records

    def _barcode_svg(self):
        """The label's barcode as inline SVG markup."""
        self.ensure_one()
        return code128_svg(self.barcode)
