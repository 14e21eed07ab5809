from odoo import fields, models
from odoo.exceptions import UserError


class CrmDocumentScan(models.TransientModel):
    """Scan a label (the scanner types the code and Enter) to open its record."""

    _name = "crm.document.scan"
    _description = "Scan a Document or Binder Label"

    barcode = fields.Char(required=True)

    def action_open(self):
        self.ensure_one()
        code = (self.barcode or "").strip()
        for model in ("crm.document", "crm.document.location"):
            record = self.env[model].search([("barcode", "=", code)], limit=1)
            if record:
                return {
                    "type": "ir.actions.act_window",
                    "res_model": model,
                    "res_id": record.id,
                    "views": [(False, "form")],
                }
        raise UserError(
            self.env._("No document or binder has the barcode %(code)s.", code=code)
        )
