from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.crm_parties.models.crm_timeline_event import TimelineSource


class CrmTimelineEvent(models.Model):
    """Service cases join their customers' timelines."""

    _inherit = "crm.timeline.event"
    _depends = {
        "crm.service.case": [
            "company_id",
            "contact_id",
            "date_open",
            "name",
            "partner_id",
            "problem",
            "user_id",
        ],
        "stock.lot": ["name"],
    }

    kind = fields.Selection(
        selection_add=[("service_case", "Service case")],
        ondelete={"service_case": "cascade"},
    )

    def _timeline_sources(self):
        return [
            *super()._timeline_sources(),
            TimelineSource(
                "crm.service.case",
                SQL(
                    """
                    SELECT sc.id, sc.date_open, 'service_case',
                           sc.name || ' ' || lot.name, sc.problem,
                           COALESCE(sc.contact_id, sc.partner_id), sc.user_id,
                           sc.company_id, sc.id
                      FROM crm_service_case sc
                      JOIN stock_lot lot ON lot.id = sc.lot_id
                    """
                ),
            ),
        ]
