from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    offer_profile_id = fields.Many2one(
        "crm.offer.profile",
        check_company=True,
        help="Proposed on the offers made from this opportunity (before the "
        "partner's default profile).",
    )

    def _prepare_opportunity_quotation_context(self):
        context = super()._prepare_opportunity_quotation_context()
        if self.offer_profile_id:
            context["default_offer_profile_id"] = self.offer_profile_id.id
        return context
