from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, email_normalize, html2plaintext

OPEN_STATES = ("registered", "assigned", "in_progress")


class CrmCorrespondence(models.Model):
    """One entry of the incoming or the outgoing mail register.

    Incoming items are assigned and forwarded to people or departments with
    a reply deadline (see ``crm.correspondence.assign``); the daily reminder
    job warns assignees and their managers before and after it. E-mails sent
    to a mailbox's alias become incoming items (``message_new``); a message
    sent from an incoming item's chatter is registered as its outgoing reply.
    """

    _name = "crm.correspondence"
    _description = "Correspondence"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _primary_email = "email_from"
    _order = "is_open desc, deadline, date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/"
    )
    direction = fields.Selection(
        [("incoming", "Incoming"), ("outgoing", "Outgoing")],
        required=True,
        default="incoming",
        readonly=True,
    )
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="The day the item was received (incoming) or sent (outgoing).",
    )
    kind = fields.Selection(
        [
            ("letter", "Letter"),
            ("parcel", "Parcel"),
            ("fax", "Fax"),
            ("email", "E-mail"),
        ],
        required=True,
        default="letter",
    )
    channel = fields.Selection(
        [
            ("post", "Post"),
            ("courier", "Courier"),
            ("email", "E-mail"),
            ("hand", "Hand delivery"),
            ("edelivery", "E-delivery"),
        ],
        required=True,
        default="post",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Correspondent",
        tracking=True,
        index=True,
        check_company=True,
        help="The sender of an incoming item, the addressee of an outgoing one.",
    )
    email_from = fields.Char(
        string="Sender e-mail", help="The address an e-mailed item came from."
    )
    subject = fields.Char(required=True, tracking=True)
    body = fields.Html(string="Content", sanitize_style=True)
    reference_theirs = fields.Char(
        string="Their reference", index="trigram", tracking=True
    )
    reference_ours = fields.Char(string="Our reference", index="trigram", tracking=True)
    confidential = fields.Boolean(
        tracking=True,
        help="Only the assignee, the managers of its department and the "
        "registry clerks see a confidential item.",
    )
    tag_ids = fields.Many2many("crm.correspondence.tag", string="Tags")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    mailbox_id = fields.Many2one(
        "crm.correspondence.mailbox", readonly=True, check_company=True
    )
    intake_issue = fields.Char(
        readonly=True,
        help="Set when an e-mail could not be read completely; the original "
        "message is attached.",
    )

    # Handling of incoming items
    state = fields.Selection(
        [
            ("registered", "Registered"),
            ("assigned", "Assigned"),
            ("in_progress", "In progress"),
            ("answered", "Answered"),
            ("closed", "Closed"),
            ("no_reply", "No reply needed"),
            ("sent", "Sent"),
        ],
        required=True,
        default="registered",
        tracking=True,
        group_expand="_group_expand_states",
    )
    is_open = fields.Boolean(compute="_compute_is_open", store=True)
    department_id = fields.Many2one(
        "hr.department",
        tracking=True,
        index=True,
        check_company=True,
        default=lambda self: self.env.user.sudo().employee_id.department_id,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Assignee",
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
    )
    deadline = fields.Date(string="Reply deadline", tracking=True, index=True)
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue", search="_search_is_overdue"
    )
    in_my_departments = fields.Boolean(
        compute="_compute_in_my_departments", search="_search_in_my_departments"
    )
    forward_ids = fields.One2many(
        "crm.correspondence.forward", "correspondence_id", string="Forwarding history"
    )
    reminder_ids = fields.One2many("crm.correspondence.reminder", "correspondence_id")
    date_answered = fields.Date(readonly=True, copy=False)
    handling_days = fields.Integer(
        compute="_compute_handling_days",
        store=True,
        aggregator=False,
        help="Days from receipt to the reply (or to closing without one).",
    )
    date_closed = fields.Date(readonly=True, copy=False)

    # Replies
    reply_to_id = fields.Many2one(
        "crm.correspondence",
        string="In reply to",
        domain="[('direction', '=', 'incoming')]",
        index="btree_not_null",
        check_company=True,
        help="The incoming item this outgoing item answers.",
    )
    reply_ids = fields.One2many("crm.correspondence", "reply_to_id", string="Replies")
    reply_count = fields.Integer(compute="_compute_reply_count")

    @api.depends("state")
    def _compute_is_open(self):
        for item in self:
            item.is_open = item.state in OPEN_STATES

    @api.depends("deadline", "state")
    @api.depends_context("tz")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for item in self:
            item.is_overdue = bool(
                item.is_open and item.deadline and item.deadline < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue items."))
        today = fields.Date.context_today(self)
        domain = [
            ("state", "in", OPEN_STATES),
            ("deadline", "<", today),
        ]
        wanted = value if operator == "=" else not value
        return domain if wanted else ["!", "&", *domain]

    @api.depends("department_id")
    @api.depends_context("uid")
    def _compute_in_my_departments(self):
        departments = self.env.user.crm_department_ids
        for item in self:
            item.in_my_departments = item.department_id in departments

    def _search_in_my_departments(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on departments."))
        wanted = value if operator == "=" else not value
        departments = self.env.user.crm_department_ids.ids
        return [("department_id", "in" if wanted else "not in", departments)]

    @api.depends("date", "date_answered", "date_closed")
    def _compute_handling_days(self):
        for item in self:
            end = item.date_answered or item.date_closed
            item.handling_days = (end - item.date).days if end else 0

    @api.depends("reply_ids")
    def _compute_reply_count(self):
        for item in self:
            item.reply_count = len(item.reply_ids)

    def _group_expand_states(self, states, domain):
        return [key for key, _label in self._fields["state"].selection if key != "sent"]

    @api.constrains("reply_to_id", "direction")
    def _check_reply_direction(self):
        for item in self:
            if item.reply_to_id and item.direction != "outgoing":
                raise UserError(self.env._("Only an outgoing item can be a reply."))

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("direction") == "outgoing" and "state" not in vals:
                vals["state"] = "sent"
        items = super().create(vals_list)
        for item in items:
            item.name = item._next_number()
        items.filtered("reply_to_id")._mark_replied()
        return items

    def _next_number(self):
        """The next number of the item's register for the year of its date.

        The register's sequence row is updated first, so registrations of
        one register are serialized: a concurrent one waits, then fails
        with a serialization error and is retried (as Odoo retries every
        request) on a fresh snapshot. Without it two first registrations of
        a year could each create the year's numbering and share a number;
        the "no gap" implementation alone only protects an existing year.
        """
        self.ensure_one()
        sequence = (
            self.env["ir.sequence"]
            .sudo()
            .search(
                [
                    ("code", "=", f"crm.correspondence.{self.direction}"),
                    ("company_id", "in", [self.company_id.id, False]),
                ],
                order="company_id",
                limit=1,
            )
        )
        if not sequence:
            raise UserError(
                self.env._(
                    "The %(register)s register has no numbering sequence for "
                    "company %(company)s.",
                    register=dict(
                        self._fields["direction"]._description_selection(self.env)
                    )[self.direction],
                    company=self.company_id.name,
                )
            )
        self._lock_sequence(sequence)
        if not sequence.company_id:
            # Each company keeps a register of its own, without gaps: its
            # sequence is made from the shared one on its first registration.
            sequence = sequence.copy(
                {
                    "company_id": self.company_id.id,
                    "name": f"{sequence.name} ({self.company_id.name})",
                    "number_next": 1,
                }
            )
        return sequence._next(sequence_date=self.date)

    def _lock_sequence(self, sequence):
        # The expected serialization failure is retried, not an error to log.
        self.env.cr.execute(
            SQL(
                "UPDATE ir_sequence SET number_next = number_next WHERE id = %s",
                sequence.id,
            ),
            log_exceptions=False,
        )

    def _mark_replied(self):
        """Outgoing replies mark the items they answer as answered."""
        originals = self.reply_to_id.filtered(lambda item: item.state in OPEN_STATES)
        originals.write(
            {"state": "answered", "date_answered": fields.Date.context_today(self)}
        )
        originals.activity_feedback(
            ["mail.mail_activity_data_todo", "crm_correspondence.activity_reply"],
            feedback=self.env._("Answered"),
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_assign(self):
        """Open the assignment (or forwarding) wizard."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Forward") if self.forward_ids else self.env._("Assign"),
            "res_model": "crm.correspondence.assign",
            "view_mode": "form",
            "target": "new",
            "context": {"default_correspondence_id": self.id},
        }

    def action_start(self):
        self._check_state(("assigned",))
        self.state = "in_progress"

    def action_no_reply(self):
        self._check_state(OPEN_STATES)
        self.write(
            {"state": "no_reply", "date_closed": fields.Date.context_today(self)}
        )
        self._close_activities()

    def action_close(self):
        self._check_state((*OPEN_STATES, "answered"))
        self.write({"state": "closed", "date_closed": fields.Date.context_today(self)})
        self._close_activities()

    def action_reopen(self):
        self._check_state(("closed", "no_reply", "answered"))
        self.write({"state": "assigned" if self.user_id else "registered"})

    def action_register_reply(self):
        """Open a new outgoing item answering this one."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reply"),
            "res_model": "crm.correspondence",
            "view_mode": "form",
            "context": {
                "default_direction": "outgoing",
                "default_reply_to_id": self.id,
                "default_partner_id": self.partner_id.id,
                "default_subject": self.env._("Re: %(subject)s", subject=self.subject),
                "default_reference_theirs": self.reference_theirs,
                "default_department_id": self.department_id.id,
                "default_user_id": self.env.uid,
                "default_confidential": self.confidential,
                "default_channel": self.channel,
                "default_kind": self.kind,
            },
        }

    def action_view_replies(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_correspondence.crm_correspondence_action_outgoing"
        )
        action["domain"] = [("reply_to_id", "=", self.id)]
        if len(self.reply_ids) == 1:
            action.update(view_mode="form", res_id=self.reply_ids.id, views=False)
        return action

    def _check_state(self, allowed):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for item in self:
            if item.direction != "incoming" or item.state not in allowed:
                raise UserError(
                    self.env._(
                        "%(number)s is %(state)s: this step is not possible now.",
                        number=item.name,
                        state=labels[item.state],
                    )
                )

    def _close_activities(self):
        self.activity_unlink(
            ["mail.mail_activity_data_todo", "crm_correspondence.activity_reply"]
        )

    # ------------------------------------------------------------------
    # Assignment and forwarding
    # ------------------------------------------------------------------

    def _assign(self, user, department, deadline, reason=False):
        """Assign or forward the items and keep the hop in their history.

        :param user: ``res.users`` assignee, may be empty when a department
            is given
        :param department: ``hr.department``, may be empty when a user is
            given
        :param deadline: reply deadline, today or later
        """
        if not user and not department:
            raise UserError(
                self.env._("Choose a person or a department to assign the item to.")
            )
        if deadline and deadline < fields.Date.context_today(self):
            raise UserError(
                self.env._(
                    "The reply deadline %(deadline)s is in the past.",
                    deadline=fields.Date.to_string(deadline),
                )
            )
        self._check_state(OPEN_STATES)
        department = department or user.sudo().employee_id.department_id
        # The history is the record of who did what: users never write it.
        self.env["crm.correspondence.forward"].sudo().create(
            [
                {
                    "correspondence_id": item.id,
                    "from_user_id": self.env.uid,
                    "from_department_id": item.department_id.id,
                    "user_id": user.id,
                    "department_id": department.id,
                    "deadline": deadline,
                    "reason": reason,
                }
                for item in self
            ]
        )
        self._close_activities()
        self.write(
            {
                "user_id": user.id,
                "department_id": department.id,
                "deadline": deadline,
                "state": "assigned",
            }
        )
        # Forwarding may take the item out of the user's sight: the new
        # assignee's activity is scheduled on their behalf.
        for item in self.sudo():
            responsible = user or department.sudo().manager_id.user_id
            if responsible:
                item.activity_schedule(
                    "crm_correspondence.activity_reply",
                    date_deadline=deadline or fields.Date.context_today(self),
                    user_id=responsible.id,
                    note=reason,
                )

    # ------------------------------------------------------------------
    # Deadline reminders
    # ------------------------------------------------------------------

    @api.model
    def _cron_deadline_reminders(self):
        """Warn assignees and their managers before and after the deadline.

        Each company says how many days before. An item gets one reminder
        per stage and deadline: running the job again sends nothing new, a
        new deadline (after forwarding) starts over.
        """
        today = fields.Date.context_today(self)
        companies = self.env["res.company"].search([])
        for company in companies:
            soon = today + timedelta(days=company.crm_correspondence_reminder_days)
            items = self.search(
                [
                    ("company_id", "=", company.id),
                    ("direction", "=", "incoming"),
                    ("state", "in", OPEN_STATES),
                    ("deadline", "!=", False),
                    ("deadline", "<=", soon),
                    "|",
                    ("user_id", "!=", False),
                    ("department_id", "!=", False),
                ]
            )
            for stage, batch in (
                ("overdue", items.filtered(lambda i: i.deadline < today)),
                ("before", items.filtered(lambda i: i.deadline >= today)),
            ):
                batch._send_reminders(stage)

    def _send_reminders(self, stage):
        done = {
            (reminder.correspondence_id.id, reminder.deadline)
            for reminder in self.reminder_ids
            if reminder.stage == stage
        }
        todo = self.filtered(lambda item: (item.id, item.deadline) not in done)
        recipients_by_item = {item: item._reminder_recipients() for item in todo}
        for item, recipients in recipients_by_item.items():
            if stage == "overdue":
                body = self.env._(
                    "%(number)s (%(subject)s) is overdue: the reply was due on "
                    "%(deadline)s.",
                    number=item.name,
                    subject=item.subject,
                    deadline=fields.Date.to_string(item.deadline),
                )
            else:
                body = self.env._(
                    "%(number)s (%(subject)s) must be answered by %(deadline)s.",
                    number=item.name,
                    subject=item.subject,
                    deadline=fields.Date.to_string(item.deadline),
                )
            item.message_post(
                body=body,
                partner_ids=recipients.partner_id.ids,
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )
        self.env["crm.correspondence.reminder"].create(
            [
                {
                    "correspondence_id": item.id,
                    "stage": stage,
                    "deadline": item.deadline,
                    "user_ids": [fields.Command.set(recipients.ids)],
                }
                for item, recipients in recipients_by_item.items()
            ]
        )

    def _reminder_recipients(self):
        """The assignee and their manager, or the department's manager."""
        self.ensure_one()
        users = self.user_id
        manager = self.user_id.sudo().employee_id.parent_id.user_id
        if not manager or manager == self.user_id:
            manager = self.department_id.sudo().manager_id.user_id
        return (users | manager).filtered("active")

    # ------------------------------------------------------------------
    # Mail gateway: intake and replies
    # ------------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """An e-mail sent to a mailbox's alias becomes an incoming item."""
        mailbox = self.env["crm.correspondence.mailbox"].browse(
            (custom_values or {}).get("mailbox_id")
        )
        values = self._intake_values(
            mailbox,
            email_from=msg_dict.get("email_from") or "",
            subject=msg_dict.get("subject") or "",
            body=msg_dict.get("body") or "",
            author=self.env["res.partner"].browse(msg_dict.get("author_id")),
        )
        if not msg_dict.get("email_from"):
            values["intake_issue"] = self.env._("The e-mail has no sender.")
        route = values.pop("_route")
        values.update(custom_values or {})
        item = super().message_new(msg_dict, custom_values=values)
        item._apply_intake_routing(route)
        return item

    @api.model
    def _intake_values(self, mailbox, email_from, subject, body, author=None):
        """Values of an incoming item for an e-mail, routing rules applied.

        The key ``_route`` holds what the matching rule asks (assignee,
        department, deadline), applied once the item exists.
        """
        company = mailbox.company_id or self.env.company
        partner = author or self.env["res.partner"]
        if not partner and email_from:
            partner = self._mail_find_partner_from_emails([email_from])[0]
        rule = self.env["crm.correspondence.rule"]._match(
            company, mailbox, email_from, partner, subject, html2plaintext(body or "")
        )
        if not partner and email_normalize(email_from):
            # An unknown sender becomes a partner, as a clerk would do.
            partner = self._mail_find_partner_from_emails(
                [email_from], force_create=True
            )[0]
        department = rule.department_id or mailbox.department_id
        user = rule.user_id or mailbox.user_id
        route = {}
        if user or department:
            deadline = fields.Date.context_today(self) + timedelta(
                days=rule.deadline_days or company.crm_correspondence_reply_days
            )
            route = {
                "user": user,
                "department": department,
                "deadline": deadline,
                "reason": rule and self.env._("Routing rule: %(rule)s", rule=rule.name),
            }
        return {
            "direction": "incoming",
            "kind": "email",
            "channel": "email",
            "company_id": company.id,
            "mailbox_id": mailbox.id,
            "email_from": email_from,
            "partner_id": partner.id if partner else False,
            "subject": subject or self.env._("(no subject)"),
            "body": body,
            "tag_ids": [fields.Command.set(rule.tag_ids.ids)],
            "_route": route,
        }

    def _apply_intake_routing(self, route):
        if route:
            self._assign(
                route["user"], route["department"], route["deadline"], route["reason"]
            )

    @api.model
    def _register_raw_email(self, mailbox, raw, content, issue):
        """Register an e-mail the gateway could not take as it is.

        :param raw: the original bytes, attached as ``original_email.eml``
            (None when they are not to be kept)
        :param content: dict with what could be read: ``email_from``,
            ``subject``, ``body`` (HTML), ``attachments`` [(name, bytes)]
        :param issue: why, shown on the item
        """
        values = self.sudo()._intake_values(
            mailbox,
            email_from=content["email_from"],
            subject=content["subject"],
            body=content["body"],
        )
        route = values.pop("_route")
        values["intake_issue"] = issue
        item = self.sudo().with_context(mail_create_nosubscribe=True).create(values)
        attachments = list(content["attachments"])
        if raw is not None:
            attachments.append(("original_email.eml", raw))
        item.with_context(from_alias=True).message_post(
            body=content["body"],
            subject=content["subject"],
            email_from=content["email_from"],
            author_id=item.partner_id.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
            attachments=attachments,
        )
        item._apply_intake_routing(route)
        return item

    def message_post(self, **kwargs):
        message = super().message_post(**kwargs)
        if (
            len(self) == 1
            and self.direction == "incoming"
            and message.message_type == "comment"
            and message.subtype_id == self.env.ref("mail.mt_comment")
            and not self.env.context.get("from_alias")
            and not self.env.user.share
            and message.author_id == self.env.user.partner_id
        ):
            self._register_reply_from_message(message)
        return message

    def _register_reply_from_message(self, message):
        """A message sent to the outside from an incoming item's chatter is
        its reply: register it as outgoing mail, with its attachments."""
        addressee = message.partner_ids[:1] or self.partner_id
        reply = self.create(
            {
                "direction": "outgoing",
                "kind": "email",
                "channel": "email",
                "reply_to_id": self.id,
                "partner_id": addressee.id,
                "subject": message.subject
                or self.env._("Re: %(subject)s", subject=self.subject),
                "body": message.body,
                "reference_theirs": self.reference_theirs,
                "department_id": self.department_id.id,
                "user_id": self.env.uid,
                "confidential": self.confidential,
                "company_id": self.company_id.id,
            }
        )
        for attachment in message.attachment_ids:
            attachment.copy({"res_model": reply._name, "res_id": reply.id})
        return reply
