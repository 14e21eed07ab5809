import base64

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmDocumentVersion(models.Model):
    """One version of a document's file, with who uploaded it and why.

    It also keeps the document's metadata at that moment, so versions can be
    compared side by side.
    """

    _name = "crm.document.version"
    _description = "Document Version"
    _order = "document_id, number desc"

    document_id = fields.Many2one(
        "crm.document", required=True, index=True, ondelete="cascade"
    )
    number = fields.Integer(readonly=True)
    datas = fields.Binary(string="File", attachment=True, required=True)
    filename = fields.Char(required=True, index="trigram")
    comment = fields.Char()
    is_current = fields.Boolean(compute="_compute_is_current")
    # the document as it was when this version was added
    state = fields.Char(string="Status then", readonly=True)
    date_from = fields.Date(readonly=True)
    date_to = fields.Date(readonly=True)
    amount = fields.Float(string="Value then", readonly=True)
    company_id = fields.Many2one(related="document_id.company_id", store=True)

    @api.depends("document_id.current_version_id")
    def _compute_is_current(self):
        for version in self:
            version.is_current = version == version.document_id.current_version_id

    @api.constrains("datas")
    def _check_size(self):
        for version in self:
            limit = version.document_id.company_id.crm_document_max_size_mb
            size = len(base64.b64decode(version.datas or b"")) / (1024 * 1024)
            if limit and size > limit:
                raise ValidationError(
                    self.env._(
                        "%(file)s is %(size).1f MB; files are limited to %(limit)s MB.",
                        file=version.filename,
                        size=size,
                        limit=limit,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        documents = self.env["crm.document"].browse(
            [vals["document_id"] for vals in vals_list]
        )
        last_numbers = {
            document.id: max(document.version_ids.mapped("number") or [0])
            for document in documents
        }
        for vals in vals_list:
            document = documents.browse(vals["document_id"])
            last_numbers[document.id] += 1
            vals.update(
                number=last_numbers[document.id],
                state=dict(document._fields["state"]._description_selection(self.env))[
                    document.state
                ],
                date_from=document.date_from,
                date_to=document.date_to,
                amount=document.amount,
            )
        return super().create(vals_list)
