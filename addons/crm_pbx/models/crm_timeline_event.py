from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.crm_parties.models.crm_timeline_event import TimelineSource


class CrmTimelineEvent(models.Model):
    """Phone calls join their customers' timelines."""

    _inherit = "crm.timeline.event"
    _depends = {
        "crm.pbx.call": [
            "company_id",
            "date_start",
            "call_uid",
            "disposition",
            "external_number",
            "partner_id",
            "talk_seconds",
            "user_id",
        ],
    }

    kind = fields.Selection(
        selection_add=[("call", "Phone call")], ondelete={"call": "cascade"}
    )

    def _timeline_sources(self):
        return [
            *super()._timeline_sources(),
            TimelineSource(
                "crm.pbx.call",
                SQL(
                    """
                    SELECT call.id, call.date_start, 'call',
                           COALESCE(call.external_number, call.call_uid),
                           COALESCE(call.disposition, '') || ' '
                               || call.talk_seconds || ' s',
                           call.partner_id, call.user_id, call.company_id, call.id
                      FROM crm_pbx_call call
                     WHERE call.partner_id IS NOT NULL
                    """
                ),
            ),
        ]
