from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.crm_parties.models.crm_timeline_event import TimelineSource


class CrmTimelineEvent(models.Model):
    """Files attached to a partner join its timeline."""

    _inherit = "crm.timeline.event"

    kind = fields.Selection(
        selection_add=[("attachment", "Attachment")],
        ondelete={"attachment": "cascade"},
    )

    def _timeline_sources(self):
        return [
            *super()._timeline_sources(),
            TimelineSource(
                "res.partner",
                SQL(
                    """
                    SELECT att.id, att.create_date, 'attachment', att.name,
                           att.mimetype, att.res_id, att.create_uid, att.company_id,
                           att.res_id
                      FROM ir_attachment att
                     WHERE att.res_model = 'res.partner' AND att.res_field IS NULL
                       AND att.res_id IS NOT NULL
                    """
                ),
            ),
        ]
