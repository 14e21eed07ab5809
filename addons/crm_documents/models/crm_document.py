from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# state: the states it may move to, and who may move it there
TRANSITIONS = {
    "draft": {"review": "owner"},
    "review": {"approved": "approver", "draft": "approver"},
    "approved": {"signed": "owner"},
    "signed": {"active": "owner"},
    "active": {"terminated": "owner", "expired": "owner"},
    "expired": {"archived": "owner"},
    "terminated": {"archived": "owner"},
}


class CrmDocument(models.Model):
    """A contract, order, policy... with its files, approval and paper original.

    Status flow: draft → in review → approved → signed → active → expired /
    terminated → archived (see ``TRANSITIONS``). The file is kept as
    versions; one person at a time may check the document out to edit it.
    """

    _name = "crm.document"
    _description = "Business Document"
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.barcode.label.mixin"]
    _barcode_prefix = "DOC"
    _order = "date_to, id desc"
    _check_company_auto = True

    name = fields.Char(string="Title", required=True, tracking=True)
    number = fields.Char(
        readonly=True, copy=False, index=True, default=lambda self: self.env._("New")
    )
    type_id = fields.Many2one("crm.document.type", required=True, tracking=True)
    expires = fields.Boolean(related="type_id.expires")
    partner_ids = fields.Many2many("res.partner", required=True, check_company=True)
    contact_ids = fields.Many2many(
        "res.partner",
        "crm_document_contact_rel",
        "document_id",
        "partner_id",
        string="Contacts",
        domain="[('is_company', '=', False)]",
    )
    owner_id = fields.Many2one(
        "res.users", required=True, default=lambda self: self.env.user, tracking=True
    )
    reviewer_ids = fields.Many2many("res.users", string="Reviewers")
    approver_id = fields.Many2one("res.users", tracking=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("review", "In review"),
            ("approved", "Approved"),
            ("signed", "Signed"),
            ("active", "Active"),
            ("expired", "Expired"),
            ("terminated", "Terminated"),
            ("archived", "Archived"),
        ],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    date_signed = fields.Date(string="Signed on", copy=False)
    date_from = fields.Date(string="Valid from", tracking=True)
    date_to = fields.Date(string="Valid to", tracking=True, index=True)
    notice_days = fields.Integer(string="Notice period (days)")
    notice_date = fields.Date(
        compute="_compute_notice_date",
        store=True,
        index=True,
        help="Last day to give notice before the document renews or ends.",
    )
    amount = fields.Monetary(string="Value", currency_field="currency_id")
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.company.currency_id
    )
    description = fields.Text()
    confidential = fields.Boolean(
        help="Only the owner, the reviewers, the approver and document "
        "managers see it.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    version_ids = fields.One2many(
        "crm.document.version", "document_id", string="Versions"
    )
    current_version_id = fields.Many2one(
        "crm.document.version", compute="_compute_current_version_id", store=True
    )
    checked_out_by_id = fields.Many2one(
        "res.users", string="Checked out by", copy=False
    )
    checked_out_on = fields.Datetime(copy=False)
    location_id = fields.Many2one(
        "crm.document.location",
        string="Paper original in",
        domain="[('kind', '=', 'binder')]",
        tracking=True,
    )
    movement_ids = fields.One2many(
        "crm.document.movement", "document_id", string="Lending log"
    )
    lent_to_id = fields.Many2one(
        "res.partner", compute="_compute_lending", string="Lent to"
    )
    return_overdue = fields.Boolean(compute="_compute_lending")
    previous_id = fields.Many2one(
        "crm.document", string="Renews", copy=False, index=True
    )
    next_id = fields.Many2one("crm.document", string="Renewed by", copy=False)

    _sql_constraints = [
        ("barcode_uniq", "unique (barcode)", "This barcode is already used."),
        (
            "notice_positive",
            "CHECK (notice_days >= 0)",
            "The notice period cannot be negative.",
        ),
    ]

    @api.depends("date_to", "notice_days")
    def _compute_notice_date(self):
        for document in self:
            document.notice_date = (
                document.date_to - timedelta(days=document.notice_days)
                if document.date_to and document.notice_days
                else False
            )

    @api.depends("version_ids")
    def _compute_current_version_id(self):
        for document in self:
            document.current_version_id = document.version_ids.sorted("number")[-1:]

    @api.depends("movement_ids.date_returned", "movement_ids.date_expected")
    def _compute_lending(self):
        today = fields.Date.context_today(self)
        for document in self:
            open_move = document.movement_ids.filtered(lambda m: not m.date_returned)[
                :1
            ]
            document.lent_to_id = open_move.lent_to_id
            document.return_overdue = bool(
                open_move.date_expected and open_move.date_expected < today
            )

    @api.constrains("date_from", "date_to", "notice_days")
    def _check_dates(self):
        for document in self:
            if (
                document.date_from
                and document.date_to
                and document.date_to < document.date_from
            ):
                raise ValidationError(
                    self.env._(
                        "%(doc)s: valid to (%(end)s) is before valid from (%(start)s).",
                        doc=document.display_name,
                        end=document.date_to,
                        start=document.date_from,
                    )
                )
            if (
                document.notice_days
                and document.date_from
                and document.date_to
                and document.notice_days > (document.date_to - document.date_from).days
            ):
                raise ValidationError(
                    self.env._(
                        "%(doc)s: a notice period of %(days)s days is longer than "
                        "the document itself.",
                        doc=document.display_name,
                        days=document.notice_days,
                    )
                )

    @api.depends("number", "name")
    def _compute_display_name(self):
        for document in self:
            document.display_name = f"{document.number} {document.name}"

    @api.onchange("type_id")
    def _onchange_type_id(self):
        if self.type_id.default_notice_days and not self.notice_days:
            self.notice_days = self.type_id.default_notice_days

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("number", self.env._("New")) == self.env._("New"):
                vals["number"] = self.env["ir.sequence"].next_by_code("crm.document")
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Status flow
    # ------------------------------------------------------------------

    def _may_move(self, role):
        user = self.env.user
        if user.has_group("crm_documents.group_document_manager"):
            return True
        if role == "approver":
            return user == (self.approver_id or self.owner_id)
        return user == self.owner_id

    def _move_to(self, state):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for document in self:
            role = TRANSITIONS.get(document.state, {}).get(state)
            if not role:
                raise UserError(
                    self.env._(
                        "%(doc)s cannot go from %(current)s to %(target)s.",
                        doc=document.display_name,
                        current=labels[document.state],
                        target=labels[state],
                    )
                )
            if not document._may_move(role):
                raise UserError(
                    self.env._(
                        "Only the %(role)s of %(doc)s or a document manager may "
                        "move it to %(target)s.",
                        role=self.env._("approver")
                        if role == "approver"
                        else self.env._("owner"),
                        doc=document.display_name,
                        target=labels[state],
                    )
                )
        self.write({"state": state})

    def action_submit(self):
        self._move_to("review")
        for document in self:
            for reviewer in document.reviewer_ids | document.approver_id:
                document.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Review %(doc)s", doc=document.display_name),
                    user_id=reviewer.id,
                )

    def action_approve(self):
        self._move_to("approved")

    def action_reject(self):
        self._move_to("draft")

    def action_sign(self):
        self._move_to("signed")
        for document in self.filtered(lambda d: not d.date_signed):
            document.date_signed = fields.Date.context_today(self)

    def action_activate(self):
        self._move_to("active")

    def action_terminate(self):
        self._move_to("terminated")

    def action_archive_document(self):
        self._move_to("archived")

    # ------------------------------------------------------------------
    # Check-out and versions
    # ------------------------------------------------------------------

    def action_check_out(self):
        self.ensure_one()
        if self.checked_out_by_id and self.checked_out_by_id != self.env.user:
            raise UserError(
                self.env._(
                    "%(doc)s is checked out by %(user)s since %(date)s.",
                    doc=self.display_name,
                    user=self.checked_out_by_id.name,
                    date=self.checked_out_on,
                )
            )
        self.write(
            {
                "checked_out_by_id": self.env.user.id,
                "checked_out_on": fields.Datetime.now(),
            }
        )

    def action_release(self):
        """Give the document back without a new version."""
        self.ensure_one()
        manager = self.env.user.has_group("crm_documents.group_document_manager")
        if (
            self.checked_out_by_id not in (self.env.user, self.env["res.users"])
            and not manager
        ):
            raise UserError(
                self.env._(
                    "Only %(user)s or a document manager can release %(doc)s.",
                    user=self.checked_out_by_id.name,
                    doc=self.display_name,
                )
            )
        self.write({"checked_out_by_id": False, "checked_out_on": False})

    def action_open_check_in(self):
        self.ensure_one()
        if self.checked_out_by_id != self.env.user:
            raise UserError(
                self.env._("Check %(doc)s out first.", doc=self.display_name)
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Check in a new version"),
            "res_model": "crm.document.check.in",
            "view_mode": "form",
            "target": "new",
            "context": {"default_document_id": self.id},
        }

    def _add_version(self, datas, filename, comment):
        """A new version from the check-in; the lock is released with it."""
        self.ensure_one()
        version = self.env["crm.document.version"].create(
            {
                "document_id": self.id,
                "datas": datas,
                "filename": filename,
                "comment": comment,
            }
        )
        self.write({"checked_out_by_id": False, "checked_out_on": False})
        return version

    # ------------------------------------------------------------------
    # Paper original
    # ------------------------------------------------------------------

    def action_lend(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.document.movement",
            "view_mode": "form",
            "target": "new",
            "context": {"default_document_id": self.id},
        }

    def action_return(self):
        for document in self:
            open_move = document.movement_ids.filtered(lambda m: not m.date_returned)
            if not open_move:
                raise UserError(
                    self.env._(
                        "%(doc)s was not lent: there is nothing to return.",
                        doc=document.display_name,
                    )
                )
            open_move.date_returned = fields.Date.context_today(self)

    # ------------------------------------------------------------------
    # Renewal and expiry
    # ------------------------------------------------------------------

    def action_renew(self):
        """The next document of the chain, for the following period."""
        self.ensure_one()
        if self.next_id:
            raise UserError(
                self.env._(
                    "%(doc)s is already renewed by %(next)s.",
                    doc=self.display_name,
                    next=self.next_id.display_name,
                )
            )
        values = {"previous_id": self.id, "state": "draft"}
        if self.date_from and self.date_to:
            length = relativedelta(self.date_to + timedelta(days=1), self.date_from)
            values["date_from"] = self.date_to + timedelta(days=1)
            values["date_to"] = values["date_from"] + length - timedelta(days=1)
        renewal = self.copy(values)
        self.next_id = renewal
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": renewal.id,
            "views": [(False, "form")],
        }

    @api.model
    def _cron_expiry(self):
        """Mark ended documents expired, and remind owners before milestones.

        A reminder (activity and e-mail) goes to the owner a company-set
        number of days before the notice date and before the end, once per
        document and milestone (the reminder log), also after a missed day.
        """
        today = fields.Date.context_today(self)
        self.search([("state", "=", "active"), ("date_to", "<", today)]).write(
            {"state": "expired"}
        )
        Reminder = self.env["crm.document.reminder"]
        sent = set(
            Reminder.search([("date", ">=", today)]).mapped(
                lambda r: (r.document_id.id, r.milestone, r.date)
            )
        )
        companies = self.env["res.company"].search([])
        horizon = today + timedelta(
            days=max(companies.mapped("crm_document_reminder_days") or [0])
        )
        candidates = self.search(
            [
                ("state", "in", ("signed", "active")),
                "|",
                "&",
                ("notice_date", ">=", today),
                ("notice_date", "<=", horizon),
                "&",
                ("date_to", ">=", today),
                ("date_to", "<=", horizon),
            ]
        )
        new_reminders = []
        for document in candidates:
            delay = document.company_id.crm_document_reminder_days
            for milestone, date in (
                ("notice", document.notice_date),
                ("end", document.date_to),
            ):
                if not date or not today <= date <= today + timedelta(days=delay):
                    continue
                if (document.id, milestone, date) in sent:
                    continue
                document._remind(milestone, date)
                new_reminders.append(
                    {"document_id": document.id, "milestone": milestone, "date": date}
                )
        Reminder.create(new_reminders)

    def _remind(self, milestone, date):
        self.ensure_one()
        if milestone == "notice":
            summary = self.env._(
                "Last day to give notice on %(doc)s: %(date)s",
                doc=self.display_name,
                date=date,
            )
        else:
            summary = self.env._(
                "%(doc)s ends on %(date)s", doc=self.display_name, date=date
            )
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=date,
            summary=summary,
            user_id=self.owner_id.id,
        )
        self.message_post(
            body=summary,
            partner_ids=self.owner_id.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
            message_type="notification",
        )
