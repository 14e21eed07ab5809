from collections import defaultdict, namedtuple
from textwrap import shorten

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL, html2plaintext

from ..tools.domain import ids_read_by_id

TimelineSource = namedtuple("TimelineSource", ["model", "query"])


class CrmTimelineEvent(models.Model):
    """One timeline of everything that happened with a partner (read-only).

    A SQL view: the UNION of *sources*, each a SELECT over the table of a
    business model. Nothing is copied, so the timeline is never stale, and a
    partner's events are read with one indexed query however many there are.

    Extension point, for the addons of the suite (and any other):

    * ``_timeline_sources()``: return ``super()`` plus your
      ``TimelineSource(model, query)``. ``query`` is an ``odoo.tools.SQL``
      SELECT with exactly these columns, in this order::

          src_id, date, kind, name, body, partner_id, user_id, company_id,
          res_id

      ``body`` is text or HTML; only the entries shown get it as plain text.

      ``src_id`` is unique within the source; ``res_id`` is the id of the
      ``model`` record the entry opens (and whose read access it follows).
    * ``kind``: add your kinds with ``selection_add`` on this field.

    Access: a user sees an entry only if they may read its record (the
    source model's access rights and record rules, applied in SQL).
    """

    _name = "crm.timeline.event"
    _description = "Timeline Event"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "name"
    _depends = {
        "mail.message": [
            "author_id",
            "body",
            "date",
            "mail_activity_type_id",
            "message_type",
            "model",
            "record_name",
            "res_id",
            "subject",
            "subtype_id",
        ],
        "mail.activity": [
            "activity_type_id",
            "date_deadline",
            "note",
            "res_id",
            "res_model",
            "summary",
            "user_id",
        ],
        "calendar.attendee": ["event_id", "partner_id"],
        "calendar.event": ["active", "location", "name", "start", "user_id"],
        "crm.lead": [
            "active",
            "company_id",
            "create_date",
            "name",
            "partner_id",
            "user_id",
        ],
        "sale.order": [
            "amount_total",
            "company_id",
            "currency_id",
            "date_order",
            "name",
            "partner_id",
            "state",
            "user_id",
        ],
        "account.move": [
            "amount_total",
            "company_id",
            "currency_id",
            "invoice_date",
            "invoice_user_id",
            "move_type",
            "name",
            "partner_id",
            "state",
        ],
        "res.partner": ["commercial_partner_id"],
    }

    date = fields.Datetime(readonly=True)
    kind = fields.Selection(
        [
            ("message", "Message"),
            ("note", "Note"),
            ("activity", "Activity"),
            ("meeting", "Meeting"),
            ("opportunity", "Opportunity"),
            ("quotation", "Quotation"),
            ("sale_order", "Sales Order"),
            ("invoice", "Invoice"),
            ("credit_note", "Credit Note"),
        ],
        readonly=True,
    )
    name = fields.Char(readonly=True)
    body = fields.Text(readonly=True)
    description = fields.Char(compute="_compute_description")
    partner_id = fields.Many2one("res.partner", string="Contact", readonly=True)
    commercial_partner_id = fields.Many2one(
        "res.partner", string="Partner", readonly=True
    )
    user_id = fields.Many2one("res.users", string="Responsible", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    res_model = fields.Char(string="Document Model", readonly=True)
    res_id = fields.Many2oneReference(
        string="Document", model_field="res_model", readonly=True
    )

    # ------------------------------------------------------------------
    # The view
    # ------------------------------------------------------------------

    @property
    def _table_query(self):
        sources = self._timeline_sources()
        count = len(sources)
        branches = [
            SQL(
                """
                SELECT src.src_id * %(count)s + %(index)s AS id,
                       %(index)s AS source_index, src.src_id AS source_id,
                       src.date, src.kind, src.name, src.body,
                       src.partner_id, partner.commercial_partner_id,
                       src.user_id, src.company_id,
                       %(model)s AS res_model, src.res_id
                  FROM (%(query)s) AS src(src_id, date, kind, name, body,
                                          partner_id, user_id, company_id, res_id)
                  JOIN res_partner partner ON partner.id = src.partner_id
                """,
                count=count,
                index=index,
                model=source.model,
                query=source.query,
            )
            for index, source in enumerate(sources)
        ]
        return SQL(" UNION ALL ").join(branches)

    def _timeline_sources(self):
        return [
            self._timeline_source_messages(),
            self._timeline_source_activities(),
            self._timeline_source_meetings(),
            self._timeline_source_opportunities(),
            self._timeline_source_sale_orders(),
            self._timeline_source_invoices(),
        ]

    def _timeline_source_messages(self):
        """Messages, notes and done activities posted on the partner itself."""
        return TimelineSource(
            "res.partner",
            SQL(
                """
                SELECT msg.id, msg.date,
                       CASE WHEN msg.mail_activity_type_id IS NOT NULL THEN 'activity'
                            WHEN subtype.internal THEN 'note'
                            ELSE 'message' END,
                       COALESCE(NULLIF(msg.subject, ''), msg.record_name),
                       msg.body,
                       msg.res_id, author.user_id, NULL::integer, msg.res_id
                  FROM mail_message msg
             LEFT JOIN mail_message_subtype subtype ON subtype.id = msg.subtype_id
             LEFT JOIN LATERAL (
                    SELECT id AS user_id FROM res_users
                     WHERE partner_id = msg.author_id ORDER BY id LIMIT 1
                   ) author ON TRUE
                 WHERE msg.model = 'res.partner'
                   AND (msg.message_type IN ('comment', 'email', 'email_outgoing')
                        OR msg.mail_activity_type_id IS NOT NULL)
                """
            ),
        )

    def _timeline_source_activities(self):
        """Planned activities on the partner, dated by their deadline."""
        return TimelineSource(
            "res.partner",
            SQL(
                """
                SELECT act.id, act.date_deadline::timestamp, 'activity',
                       COALESCE(act.summary, type.name->>'en_US'),
                       act.note,
                       act.res_id, act.user_id, NULL::integer, act.res_id
                  FROM mail_activity act
                  JOIN mail_activity_type type ON type.id = act.activity_type_id
                 WHERE act.res_model = 'res.partner'
                """
            ),
        )

    def _timeline_source_meetings(self):
        """Meetings, once per attendee."""
        return TimelineSource(
            "calendar.event",
            SQL(
                """
                SELECT attendee.id, event.start, 'meeting', event.name,
                       event.location, attendee.partner_id, event.user_id,
                       NULL::integer, event.id
                  FROM calendar_attendee attendee
                  JOIN calendar_event event ON event.id = attendee.event_id
                 WHERE event.active
                """
            ),
        )

    def _timeline_source_opportunities(self):
        return TimelineSource(
            "crm.lead",
            SQL(
                """
                SELECT lead.id, lead.create_date, 'opportunity', lead.name,
                       NULL, lead.partner_id, lead.user_id, lead.company_id, lead.id
                  FROM crm_lead lead
                 WHERE lead.partner_id IS NOT NULL AND lead.active
                """
            ),
        )

    def _timeline_source_sale_orders(self):
        return TimelineSource(
            "sale.order",
            SQL(
                """
                SELECT so.id, so.date_order,
                       CASE WHEN so.state = 'sale' THEN 'sale_order'
                            ELSE 'quotation' END,
                       so.name, so.amount_total::text || ' ' || currency.name,
                       so.partner_id, so.user_id, so.company_id, so.id
                  FROM sale_order so
                  JOIN res_currency currency ON currency.id = so.currency_id
                 WHERE so.state != 'cancel'
                """
            ),
        )

    def _timeline_source_invoices(self):
        return TimelineSource(
            "account.move",
            SQL(
                """
                SELECT move.id, move.invoice_date::timestamp,
                       CASE WHEN move.move_type = 'out_refund' THEN 'credit_note'
                            ELSE 'invoice' END,
                       move.name, move.amount_total::text || ' ' || currency.name,
                       move.partner_id, move.invoice_user_id, move.company_id,
                       move.id
                  FROM account_move move
                  JOIN res_currency currency ON currency.id = move.currency_id
                 WHERE move.move_type IN ('out_invoice', 'out_refund')
                   AND move.state = 'posted'
                """
            ),
        )

    @api.depends("body")
    def _compute_description(self):
        # Converting here, not in SQL, costs only the entries actually read.
        for event in self:
            event.description = shorten(html2plaintext(event.body or ""), 200)

    # ------------------------------------------------------------------
    # Access: an entry is visible only if its record is readable
    # ------------------------------------------------------------------

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        read_ids = ids_read_by_id(domain)
        if not self.env.su:
            domain = expression.AND([domain, self._timeline_access_domain()])
        query = super()._search(domain, offset, limit, order)
        if read_ids:
            query.add_where(self._source_rows_condition(query.table, read_ids))
        return query

    @api.model
    def _source_rows_condition(self, alias, event_ids):
        """The entries of these ids, named by their source and row there.

        Entries read by id (``fetch()``, the Open button) are filtered on an
        id computed from both, which no index of the sources has: PostgreSQL
        would build every entry of every partner first. Filtered on the rows
        of each source too, each branch of the view reads its few rows by
        primary key.
        """
        count = len(self._timeline_sources())
        rows_by_source = defaultdict(list)
        for event_id in event_ids:
            rows_by_source[event_id % count].append(event_id // count)
        return SQL(
            "(%s)",
            SQL(" OR ").join(
                SQL(
                    "(%s = %s AND %s = ANY(%s))",
                    SQL.identifier(alias, "source_index"),
                    index,
                    SQL.identifier(alias, "source_id"),
                    source_ids,
                )
                for index, source_ids in rows_by_source.items()
            ),
        )

    @api.model
    def _timeline_access_domain(self):
        """A domain that keeps the entries whose records the user may read.

        Set-based: a source model without record rules for the user needs no
        check; otherwise its readable ids come as a subquery.
        """
        allowed = []
        for model_name in {source.model for source in self._timeline_sources()}:
            model = self.env[model_name].with_context(active_test=False)
            if not model.has_access("read"):
                continue
            leaf = [("res_model", "=", model_name)]
            if self.env["ir.rule"]._compute_domain(model_name, "read"):
                leaf = expression.AND([leaf, [("res_id", "in", model._search([]))]])
            allowed.append(leaf)
        return expression.OR(allowed) if allowed else expression.FALSE_DOMAIN

    def action_open_record(self):
        """Open the document behind the entry."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "views": [(False, "form")],
        }
