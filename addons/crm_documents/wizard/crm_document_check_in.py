from odoo import fields, models


class CrmDocumentCheckIn(models.TransientModel):
    """Checks a document back in with a new version of its file."""

    _name = "crm.document.check.in"
    _description = "Check In a Document Version"

    document_id = fields.Many2one("crm.document", required=True, readonly=True)
    datas = fields.Binary(string="File", required=True)
    filename = fields.Char(required=True)
    comment = fields.Char(string="What changed")

    def action_check_in(self):
        self.ensure_one()
        self.document_id._add_version(self.datas, self.filename, self.comment)
        return {"type": "ir.actions.act_window_close"}
