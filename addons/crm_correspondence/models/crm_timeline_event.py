from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.crm_parties.models.crm_timeline_event import TimelineSource


class CrmTimelineEvent(models.Model):
    """Registered mail and marketing e-mails join their partners' timelines."""

    _inherit = "crm.timeline.event"
    _depends = {
        "crm.correspondence": [
            "body",
            "company_id",
            "date",
            "direction",
            "name",
            "partner_id",
            "subject",
            "user_id",
        ],
        "mailing.trace": ["mass_mailing_id", "model", "res_id", "sent_datetime"],
        "mailing.contact": ["crm_partner_id"],
    }

    kind = fields.Selection(
        selection_add=[
            ("mail_in", "Incoming mail"),
            ("mail_out", "Outgoing mail"),
            ("mailing", "Marketing e-mail"),
        ],
        ondelete={"mail_in": "cascade", "mail_out": "cascade", "mailing": "cascade"},
    )

    def _timeline_sources(self):
        return [
            *super()._timeline_sources(),
            TimelineSource(
                "crm.correspondence",
                SQL(
                    """
                    SELECT item.id, item.date::timestamp,
                           CASE item.direction WHEN 'incoming' THEN 'mail_in'
                                ELSE 'mail_out' END,
                           item.name || ' ' || item.subject, item.body,
                           item.partner_id, item.user_id, item.company_id, item.id
                      FROM crm_correspondence item
                     WHERE item.partner_id IS NOT NULL
                    """
                ),
            ),
            # Mailings on partners, and on list contacts a segment added.
            TimelineSource(
                "mailing.mailing",
                SQL(
                    """
                    SELECT trace.id, trace.sent_datetime, 'mailing',
                           mailing.subject, NULL, trace.res_id, mailing.user_id,
                           NULL::integer, mailing.id
                      FROM mailing_trace trace
                      JOIN mailing_mailing mailing
                        ON mailing.id = trace.mass_mailing_id
                     WHERE trace.model = 'res.partner'
                       AND trace.sent_datetime IS NOT NULL
                    """
                ),
            ),
            TimelineSource(
                "mailing.mailing",
                SQL(
                    """
                    SELECT trace.id, trace.sent_datetime, 'mailing',
                           mailing.subject, NULL, contact.crm_partner_id,
                           mailing.user_id, NULL::integer, mailing.id
                      FROM mailing_trace trace
                      JOIN mailing_contact contact ON contact.id = trace.res_id
                      JOIN mailing_mailing mailing
                        ON mailing.id = trace.mass_mailing_id
                     WHERE trace.model = 'mailing.contact'
                       AND contact.crm_partner_id IS NOT NULL
                       AND trace.sent_datetime IS NOT NULL
                    """
                ),
            ),
        ]
