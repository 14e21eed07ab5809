from odoo import fields, models


class CrmDocumentType(models.Model):
    """Contract, order, insurance policy, annex, NDA, certificate..."""

    _name = "crm.document.type"
    _description = "Document Type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    expires = fields.Boolean(
        string="Has an expiry",
        help="Documents of this type have a validity end and a notice period "
        "that trigger reminders (contracts, policies, insurance).",
    )
    default_notice_days = fields.Integer(string="Default notice period (days)")
    active = fields.Boolean(default=True)
