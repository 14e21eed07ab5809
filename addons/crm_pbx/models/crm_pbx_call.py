import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, create_index

_logger = logging.getLogger(__name__)

# A call's state only moves forward along these ranks (hold and talk swap).
STATE_RANK = {"ringing": 0, "talking": 1, "on_hold": 1, "ended": 2}
BOARD_CHANNEL_TYPE = "crm_pbx/call"
RINGING_NOTIFICATION_TYPE = "crm_pbx/ringing"


class CrmPbxCall(models.Model):
    """A phone call, built from the events its PBX posts.

    Events may come twice, late, out of order or at the same time: the call
    row is created once (unique PBX + call id, inserted with ON CONFLICT) and
    locked while an event is applied, and each event only fills what it
    knows (the earliest start, the state further along).
    """

    _name = "crm.pbx.call"
    _description = "Phone Call"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"

    pbx_id = fields.Many2one("crm.pbx", string="PBX", required=True, index=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    call_uid = fields.Char(string="Call ID", required=True, readonly=True)
    direction = fields.Selection(
        [("inbound", "Inbound"), ("outbound", "Outbound"), ("internal", "Internal")],
        default="inbound",
        required=True,
    )
    state = fields.Selection(
        [
            ("ringing", "Ringing"),
            ("talking", "Talking"),
            ("on_hold", "On hold"),
            ("ended", "Ended"),
        ],
        default="ringing",
        required=True,
        index=True,
    )
    caller_number = fields.Char(string="From")
    called_number = fields.Char(string="To")
    external_number = fields.Char(
        compute="_compute_external_number",
        store=True,
        string="Number",
        help="The other party's number: the caller of an inbound call, the "
        "called number of an outbound one.",
    )
    number_e164 = fields.Char(string="Normalized number", index=True)
    partner_id = fields.Many2one("res.partner", string="Contact", index=True)
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, string="Partner"
    )
    extension_id = fields.Many2one("crm.pbx.extension")
    user_id = fields.Many2one("res.users", string="Agent", index=True)
    queue_id = fields.Many2one("crm.pbx.queue")
    date_start = fields.Datetime(string="Started", required=True, index=True)
    date_answer = fields.Datetime(string="Answered")
    date_end = fields.Datetime(string="Ended")
    date_state = fields.Datetime(
        string="State since",
        help="Time of the event that set the current hold/talk state.",
    )
    wait_seconds = fields.Integer(
        string="Wait (s)", compute="_compute_durations", store=True, aggregator="avg"
    )
    talk_seconds = fields.Integer(
        string="Talk (s)", compute="_compute_durations", store=True, aggregator="avg"
    )
    is_answered = fields.Boolean(
        string="Answered call", compute="_compute_outcome", store=True
    )
    answer_rate = fields.Float(
        compute="_compute_outcome",
        store=True,
        aggregator="avg",
        help="1 for an answered call, 0 otherwise: its average is the answer rate.",
    )
    is_missed = fields.Boolean(
        string="Missed",
        compute="_compute_outcome",
        store=True,
        index=True,
        help="An inbound call that ended without an answer.",
    )
    is_called_back = fields.Boolean(
        string="Called back",
        help="Set when a later answered call with the same number happens or the "
        "call-back activity is done.",
    )
    disposition = fields.Selection(
        [
            ("answered", "Answered"),
            ("no_answer", "No answer"),
            ("busy", "Busy"),
            ("failed", "Failed"),
            ("cancelled", "Cancelled"),
        ]
    )
    recording_url = fields.Char(string="Recording", groups="crm_pbx.group_pbx_agent")
    event_ids = fields.One2many("crm.pbx.call.event", "call_id", string="Events")
    note = fields.Text(help="What the call was about; logged on the contact too.")

    _sql_constraints = [
        (
            "call_uid_pbx_unique",
            "unique(pbx_id, call_uid)",
            "A call id is received once per PBX.",
        ),
    ]

    def init(self):
        # the ranking of callers matching one number reads each one's last call
        create_index(
            self.env.cr,
            "crm_pbx_call_partner_date_index",
            self._table,
            ["partner_id", "date_start"],
        )

    @api.depends("direction", "caller_number", "called_number")
    def _compute_external_number(self):
        for call in self:
            call.external_number = self._external_number_of(
                call.direction, call.caller_number, call.called_number
            )

    @api.model
    def _external_number_of(self, direction, caller_number, called_number):
        return called_number if direction == "outbound" else caller_number

    @api.depends("date_start", "date_answer", "date_end")
    def _compute_durations(self):
        for call in self:
            waited_until = call.date_answer or call.date_end
            call.wait_seconds = (
                max(int((waited_until - call.date_start).total_seconds()), 0)
                if waited_until
                else 0
            )
            call.talk_seconds = (
                max(int((call.date_end - call.date_answer).total_seconds()), 0)
                if call.date_answer and call.date_end
                else 0
            )

    @api.depends("state", "direction", "date_answer", "disposition")
    def _compute_outcome(self):
        for call in self:
            call.is_answered = bool(call.date_answer) or call.disposition == "answered"
            call.answer_rate = 1.0 if call.is_answered else 0.0
            call.is_missed = (
                call.state == "ended"
                and call.direction == "inbound"
                and not call.is_answered
            )

    @api.depends("partner_id", "external_number", "date_start")
    def _compute_display_name(self):
        for call in self:
            who = call.partner_id.display_name or call.external_number or call.call_uid
            call.display_name = who

    # Events --------------------------------------------------------------------

    @api.model
    def _ingest_event(self, pbx, event):
        """Apply one validated event of ``pbx``; return (call, is_new_event).

        ``event`` holds ``name``, ``key`` (idempotency), ``call_uid``,
        ``date`` and the optional values of the API, dates as naive UTC.
        Runs as superuser: the PBX authenticated with its token.
        """
        self.flush_model()
        self.env["crm.pbx.call.event"].flush_model()
        cr = self.env.cr
        # One statement creates the call or locks it (a no-op update takes
        # the row's lock), then stores the event with its call, under that
        # lock; a duplicate event inserts nothing. log_exceptions=False: a
        # concurrent event of the same call is a serialization failure that
        # the HTTP layer retries, not an error worth a log line.
        cr.execute(
            SQL(
                """
                WITH call AS (
                    INSERT INTO crm_pbx_call
                           (pbx_id, company_id, call_uid, state, direction,
                            date_start, is_called_back, create_uid, write_uid,
                            create_date, write_date)
                    VALUES (%(pbx)s, %(company)s, %(uid)s, 'ringing',
                            %(direction)s, %(start)s, false, %(user)s, %(user)s,
                            now() at time zone 'UTC', now() at time zone 'UTC')
                    ON CONFLICT (pbx_id, call_uid)
                    DO UPDATE SET call_uid = EXCLUDED.call_uid
                    RETURNING id
                ), event AS (
                    INSERT INTO crm_pbx_call_event
                           (pbx_id, call_id, event_key, name, call_uid, date,
                            create_uid, write_uid, create_date, write_date)
                    SELECT %(pbx)s, call.id, %(key)s, %(name)s, %(uid)s,
                           %(date)s, %(user)s, %(user)s,
                           now() at time zone 'UTC', now() at time zone 'UTC'
                      FROM call
                    ON CONFLICT (pbx_id, event_key) DO NOTHING
                    RETURNING id
                )
                SELECT call.id, event.id FROM call LEFT JOIN event ON true
                """,
                pbx=pbx.id,
                company=pbx._settings().company_id,
                uid=event["call_uid"],
                direction=event.get("direction") or "inbound",
                start=event.get("start") or event["date"],
                key=event["key"],
                name=event["name"],
                date=event["date"],
                user=self.env.uid,
            ),
            log_exceptions=False,
        )
        call_id, event_id = cr.fetchone()
        call = self.browse(call_id)
        # what another transaction changed before the lock is read again
        call.invalidate_recordset()
        if not event_id:
            return call, False
        call._apply_event(pbx, event)
        return call, True

    def _apply_event(self, pbx, event):
        """Merge what ``event`` knows into the call, never moving it back."""
        self.ensure_one()
        previous_state = self.state
        was_missed = self.is_missed
        if event["name"] == "cdr":
            vals = self._values_from_cdr(event)
        else:
            vals = self._values_from_progress(event)
        vals.update(self._values_of_parties(pbx, event))
        if not self.number_e164:
            vals.update(self._values_of_caller(pbx, vals))
        # one write: the stored computed fields are computed once
        self.write(vals)
        name = event["name"]
        if self.state != previous_state or name in ("ringing", "transferred", "cdr"):
            self._notify_board()
        if name in ("ringing", "transferred") and self.state == "ringing":
            self._notify_ringing()
        if self.state == "ended" and previous_state != "ended":
            self._after_end()
        elif was_missed and not self.is_missed:
            # answered after all (the PBX's call record, a late event): no
            # call-back is asked for it any more
            self._mark_called_back()

    def _values_from_cdr(self, event):
        """The PBX's own record of the finished call is authoritative."""
        vals = {
            field: event[field]
            for field in ("direction", "caller_number", "called_number")
            if event.get(field)
        }
        for field, key in (
            ("date_start", "start"),
            ("date_answer", "answer"),
            ("date_end", "end"),
        ):
            if event.get(key):
                vals[field] = event[key]
        vals["state"] = "ended"
        vals["disposition"] = event.get("disposition") or (
            "answered" if vals.get("date_answer") else "no_answer"
        )
        return vals

    def _values_from_progress(self, event):
        """Times and state of a live event: earliest times, state only forward."""
        name, when = event["name"], event["date"]
        vals = {}
        for field in ("caller_number", "called_number"):
            if event.get(field) and not self[field]:
                vals[field] = event[field]
        # the ringing event says the direction; others only until it comes
        if event.get("direction") and (name == "ringing" or not self.caller_number):
            vals["direction"] = event["direction"]
        if when < self.date_start:
            vals["date_start"] = when
        rank = STATE_RANK[self.state]
        if name == "answered":
            if not self.date_answer or when < self.date_answer:
                vals["date_answer"] = when
            if rank < 1:
                vals.update(state="talking", date_state=when)
            elif self.state == "ended" and self.disposition in (False, "no_answer"):
                vals["disposition"] = "answered"
        elif name in ("hold", "unhold") and rank == 1:
            if not self.date_state or when >= self.date_state:
                state = "on_hold" if name == "hold" else "talking"
                vals.update(state=state, date_state=when)
        elif name == "hangup" and (
            self.state != "ended" or (self.date_end and when < self.date_end)
        ):
            # a second hang-up (a retransmission, the other leg) changes
            # nothing unless it is the earlier one
            vals.update(
                state="ended",
                date_end=when,
                disposition=event.get("disposition")
                or ("answered" if self.date_answer else "no_answer"),
            )
        return vals

    def _values_of_parties(self, pbx, event):
        """Extension (and its agent), queue and recording named by the event."""
        vals = {}
        extension_name = event.get(
            "transfer_to" if event["name"] == "transferred" else "extension"
        )
        if extension_name and (self.state != "ended" or not self.extension_id):
            extension = self.env["crm.pbx.extension"]._get_by_name(
                pbx.id, extension_name
            )
            if extension:
                vals["extension_id"], user_id = extension
                if user_id:
                    vals["user_id"] = user_id
        if event.get("queue") and not self.queue_id:
            vals["queue_id"] = self.env["crm.pbx.queue"]._get_id_by_name(
                pbx.id, event["queue"]
            )
        if event.get("recording_url"):
            vals["recording_url"] = event["recording_url"]
        return vals

    def _values_of_caller(self, pbx, vals):
        """The other party's normalized number and contact, once the call
        knows the number (with ``vals``, what the event is changing)."""
        number = self._external_number_of(
            vals.get("direction", self.direction),
            vals.get("caller_number", self.caller_number),
            vals.get("called_number", self.called_number),
        )
        number_e164 = pbx._normalize(number) if number else False
        if not number_e164:
            return {}
        partner = self.env["res.partner"]._crm_pbx_match(number_e164, self.company_id)
        return {"number_e164": number_e164, "partner_id": partner[:1].id}

    @api.model
    def _cron_end_silent_calls(self):
        """End the calls in progress of which their PBX has said nothing for
        its ``silent_call_hours``.

        A lost hang-up, with no call record (``cdr``) after it, would keep a
        call on the live board for ever. It ends as a hang-up at its last
        known time would (a missed customer call still asks for a call back);
        no event is stored, since the PBX sent none, and a call record that
        comes later still puts the real times.
        """
        now = fields.Datetime.now()
        # an archived PBX's calls too: it will not send their hang-ups either
        pbxs = self.env["crm.pbx"].with_context(active_test=False)
        for pbx in pbxs.search([("silent_call_hours", ">", 0)]):
            calls = self.search(
                [
                    ("pbx_id", "=", pbx.id),
                    ("state", "!=", "ended"),
                    ("write_date", "<", now - timedelta(hours=pbx.silent_call_hours)),
                ]
            )
            for call in calls:
                last_known = max(
                    filter(None, (call.date_start, call.date_answer, call.date_state))
                )
                call._apply_event(pbx, {"name": "hangup", "date": last_known})
                call.message_post(
                    body=self.env._(
                        "Ended by Odoo: the PBX said nothing of this call for "
                        "%(hours)s hours.",
                        hours=pbx.silent_call_hours,
                    )
                )
            if calls:
                _logger.info("%s: %s silent calls ended", pbx.display_name, len(calls))

    # After the call ---------------------------------------------------------------

    def _after_end(self):
        """A missed customer call asks for a call back; an answer settles it."""
        if self.is_missed and self.partner_id:
            self._schedule_call_back()
        elif self.is_answered and self.number_e164:
            earlier = self.search(
                [
                    ("number_e164", "=", self.number_e164),
                    ("is_missed", "=", True),
                    ("is_called_back", "=", False),
                    ("date_start", "<", self.date_start),
                    ("company_id", "=", self.company_id.id),
                ]
            )
            earlier._mark_called_back()

    def _call_back_user(self):
        owner = self.partner_id.user_id or self.partner_id.commercial_partner_id.user_id
        if owner:
            return owner
        team = self.queue_id.team_id
        return team.user_id or self.user_id

    def _schedule_call_back(self):
        user = self._call_back_user()
        if not user:
            return
        # An owner without telephony rights cannot open the call: they are
        # asked to call back on the customer's card, once however many calls
        # they missed; marking it done settles those calls (mail_activity.py).
        if user.has_group("crm_pbx.group_pbx_agent"):
            document = self
        else:
            document = self.partner_id
            call_back = self.env.ref("crm_pbx.mail_activity_type_call_back")
            if document.activity_ids.filtered(
                lambda activity: activity.activity_type_id == call_back
                and activity.user_id == user
            ):
                return
        # no "assigned to you" e-mail per missed call (it cost more than the
        # rest of the event): the activity reaches the user's activity menu
        # through the bus, as a quick update does
        document.with_context(mail_activity_quick_update=True).activity_schedule(
            "crm_pbx.mail_activity_type_call_back",
            summary=self.env._(
                "Call back %(who)s (%(number)s)",
                who=self.partner_id.display_name,
                number=self.external_number,
            ),
            user_id=user.id,
        )

    def _mark_called_back(self):
        if not self:
            return
        self.is_called_back = True
        # Marking the activities done also sets the flag (mail_activity.py):
        # those of the calls, and those on the cards of their customers that
        # no missed call is left for. As superuser: the customer's other
        # missed calls and the owner's activity may be out of this user's
        # sight.
        call_back = self.env.ref("crm_pbx.mail_activity_type_call_back")
        still_missed = self.sudo().search(
            [
                ("partner_id", "in", self.partner_id.ids),
                ("is_missed", "=", True),
                ("is_called_back", "=", False),
            ]
        )
        customers = self.partner_id - still_missed.partner_id
        (self.activity_ids | customers.sudo().activity_ids).sudo().filtered(
            lambda activity: activity.activity_type_id == call_back
        ).action_feedback(feedback=self.env._("Called back."))

    def action_mark_called_back(self):
        self._mark_called_back()

    # Live board ---------------------------------------------------------------------

    def _notify_board(self):
        # the group's id is cached; env.ref() would check it exists each time
        agents = self.env["res.groups"].browse(
            self.env["ir.model.data"]._xmlid_to_res_id("crm_pbx.group_pbx_agent")
        )
        self.env["bus.bus"]._sendone(
            agents,
            BOARD_CHANNEL_TYPE,
            {"id": self.id, "state": self.state},
        )

    def _notify_ringing(self):
        """Tell the agent whose extension rings who is calling, as far as the
        call knows it: their browser asks for the caller's card itself
        (``get_caller_card``), out of the PBX's request."""
        if not self.user_id or self.direction == "outbound":
            return
        self.env["bus.bus"]._sendone(
            self.user_id.partner_id,
            RINGING_NOTIFICATION_TYPE,
            {
                "call_id": self.id,
                "number": self.external_number or "",
                "partner_id": self.partner_id.id or False,
                "name": self.partner_id.name or "",
            },
        )

    @api.model
    def get_caller_card(self, call_id):
        """The caller's card of the call ``call_id`` for the current user,
        within their rights: the ringing pop-up asks for it. Raises
        AccessError for a call the user may not read."""
        call = self.browse(call_id)
        call.check_access("read")
        return call._caller_card()

    def _caller_card(self):
        """What the agent should know before answering, within their rights."""
        self.ensure_one()
        partner = self.partner_id
        card = {
            "call_id": self.id,
            "number": self.external_number or "",
            "partner_id": partner.id or False,
            "name": partner.name or "",
            "company": partner.parent_id.name or "",
            "facts": [],
        }
        if not partner:
            return card
        commercial = partner.commercial_partner_id
        facts = card["facts"]
        for label, count in self._caller_card_counts(commercial):
            if count:
                facts.append(f"{label}: {count}")
        try:
            overdue = commercial.receivable_overdue
        except AccessError:
            overdue = 0.0
        if overdue:
            facts.append(
                self.env._(
                    "Overdue invoices: %(amount)s",
                    amount=commercial.currency_id.format(overdue),
                )
            )
        # one query for the entries and what is shown of them (the timeline
        # is a view over every source: a second query costs as much)
        last = self.env["crm.timeline.event"].search_fetch(
            [("commercial_partner_id", "=", commercial.id)],
            ["date", "kind", "name"],
            limit=3,
        )
        kinds = dict(last._fields["kind"]._description_selection(self.env))
        facts.extend(
            f"{fields.Date.to_string(event.date)} {kinds[event.kind]}: {event.name}"
            for event in last
        )
        return card

    def _caller_card_counts(self, commercial):
        """(label, count) of open matters of the customer; addons add theirs."""
        counts = []
        Lead = self.env["crm.lead"]
        if Lead.has_access("read"):
            counts.append(
                (
                    self.env._("Open opportunities"),
                    Lead.search_count(
                        [
                            ("partner_id", "child_of", commercial.id),
                            ("type", "=", "opportunity"),
                            ("probability", "<", 100),
                        ]
                    ),
                )
            )
        if "crm.service.case" in self.env:
            Case = self.env["crm.service.case"]
            if Case.has_access("read"):
                counts.append(
                    (
                        self.env._("Open service cases"),
                        Case.search_count(
                            [
                                ("partner_id", "child_of", commercial.id),
                                ("state", "not in", ("closed", "rejected")),
                            ]
                        ),
                    )
                )
        return counts

    @api.model
    def get_live_calls(self):
        """The calls in progress, for the live board (read within rights)."""
        calls = self.search([("state", "!=", "ended")], order="date_start")
        states = dict(self._fields["state"]._description_selection(self.env))
        directions = dict(self._fields["direction"]._description_selection(self.env))
        return [
            {
                "id": call.id,
                "state": call.state,
                "state_label": states[call.state],
                "direction": call.direction,
                "direction_label": directions[call.direction],
                "number": call.external_number or "",
                "partner": call.partner_id.display_name or "",
                "partner_id": call.partner_id.id or False,
                "agent": call.user_id.name or call.extension_id.name or "",
                "queue": call.queue_id.name or "",
                "date_start": fields.Datetime.to_string(call.date_start),
                "date_answer": fields.Datetime.to_string(call.date_answer)
                if call.date_answer
                else False,
            }
            for call in calls
        ]

    # Click-to-dial ------------------------------------------------------------------

    @api.model
    def action_dial(self, number):
        """Connect the current user's extension to ``number`` through its PBX."""
        if not number or not any(char.isdigit() for char in number):
            raise UserError(self.env._("There is no number to dial."))
        extension = self.env["crm.pbx.extension"].search(
            [
                ("user_id", "=", self.env.uid),
                ("pbx_id.company_id", "in", self.env.companies.ids),
            ],
            limit=1,
        )
        if not extension:
            raise UserError(
                self.env._(
                    "You have no telephone extension: ask an administrator to "
                    "map one to your user."
                )
            )
        extension.pbx_id.sudo()._originate(extension.name, number)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": self.env._(
                    "Calling %(number)s: pick up extension %(extension)s.",
                    number=number,
                    extension=extension.name,
                ),
            },
        }

    def action_save_note(self):
        """Log the call's note on the contact's chatter (and timeline)."""
        for call in self.filtered(lambda call: call.note and call.partner_id):
            call.partner_id.message_post(
                body=self.env._(
                    "Phone call %(number)s: %(note)s",
                    number=call.external_number or "",
                    note=call.note,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return {"type": "ir.actions.act_window_close"}

    def action_call_back(self):
        self.ensure_one()
        return self.action_dial(self.external_number)
