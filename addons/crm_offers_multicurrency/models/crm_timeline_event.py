from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.crm_parties.models.crm_timeline_event import TimelineSource


class CrmTimelineEvent(models.Model):
    """Sent offers join their partners' timelines, with each variant's total."""

    _inherit = "crm.timeline.event"
    _depends = {
        "sale.order": ["offer_sent_date", "offer_profile_id", "offer_variant_id"],
        "crm.offer.variant": ["amount_total", "name", "order_id", "sequence"],
        "crm.offer.profile": ["name"],
    }

    kind = fields.Selection(
        selection_add=[("offer", "Offer")], ondelete={"offer": "cascade"}
    )

    def _timeline_sources(self):
        return [
            *super()._timeline_sources(),
            TimelineSource(
                "sale.order",
                SQL(
                    """
                    SELECT so.id, so.offer_sent_date, 'offer',
                           so.name
                           || COALESCE(' (' || (profile.name->>'en_US') || ')', ''),
                           (SELECT string_agg(
                                       CASE WHEN variant.id = so.offer_variant_id
                                            THEN '✔ ' ELSE '' END
                                       || variant.name || ': '
                                       || variant.amount_total::text || ' '
                                       || currency.name,
                                       ' · ' ORDER BY variant.sequence, variant.id)
                              FROM crm_offer_variant variant
                             WHERE variant.order_id = so.id),
                           so.partner_id, so.user_id, so.company_id, so.id
                      FROM sale_order so
                      JOIN res_currency currency ON currency.id = so.currency_id
                 LEFT JOIN crm_offer_profile profile ON profile.id = so.offer_profile_id
                     WHERE so.offer_sent_date IS NOT NULL
                    """
                ),
            ),
        ]
