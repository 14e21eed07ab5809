from odoo import fields, models


class MailingContact(models.Model):
    _inherit = "mailing.contact"

    crm_partner_id = fields.Many2one(
        "res.partner",
        string="Partner",
        index="btree_not_null",
        ondelete="set null",
        help="The partner a marketing segment added this contact for.",
    )
