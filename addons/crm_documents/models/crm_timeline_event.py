from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.crm_parties.models.crm_timeline_event import TimelineSource


class CrmTimelineEvent(models.Model):
    """Documents join their partners' timelines."""

    _inherit = "crm.timeline.event"

    kind = fields.Selection(
        selection_add=[("document", "Document")], ondelete={"document": "cascade"}
    )

    def _timeline_sources(self):
        return [
            *super()._timeline_sources(),
            TimelineSource(
                "crm.document",
                SQL(
                    """
                    SELECT rel.crm_document_id * 100000 + rel.res_partner_id,
                           COALESCE(doc.date_signed, doc.create_date::date)::timestamp,
                           'document', doc.number || ' ' || doc.name,
                           doc.description, rel.res_partner_id, doc.owner_id,
                           doc.company_id, doc.id
                      FROM crm_document_res_partner_rel rel
                      JOIN crm_document doc ON doc.id = rel.crm_document_id
                    """
                ),
            ),
        ]
