import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmCorrespondenceRule(models.Model):
    """Sorts incoming e-mail: the first active rule (by sequence) whose
    conditions all hold sets the item's department, assignee, tags and reply
    deadline. Patterns are regular expressions, matched case-insensitively
    anywhere in the text (``@acme\\.com$`` for a domain, ``invoice|faktura``
    for keywords)."""

    _name = "crm.correspondence.rule"
    _description = "Correspondence Routing Rule"
    _order = "sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    mailbox_id = fields.Many2one(
        "crm.correspondence.mailbox",
        check_company=True,
        help="Only for e-mails to this mailbox; empty for all mailboxes.",
    )
    sender_pattern = fields.Char(
        help="Regular expression on the sender's e-mail address, "
        "e.g. @acme\\.com$ for a whole domain.",
    )
    partner_match = fields.Selection(
        [
            ("any", "Any sender"),
            ("known", "Known partners only"),
            ("unknown", "Unknown senders only"),
        ],
        string="Sender",
        required=True,
        default="any",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Partners",
        help="Only e-mails from these partners (or their contacts).",
    )
    keyword_pattern = fields.Char(
        string="Keywords",
        help="Regular expression searched in the subject and the body, "
        "e.g. invoice|faktura.",
    )
    department_id = fields.Many2one("hr.department", check_company=True)
    user_id = fields.Many2one(
        "res.users", string="Assignee", domain="[('share', '=', False)]"
    )
    tag_ids = fields.Many2many("crm.correspondence.tag", string="Tags")
    deadline_days = fields.Integer(
        string="Reply within (days)",
        help="Empty for the company's default reply time.",
    )

    @api.constrains("sender_pattern", "keyword_pattern")
    def _check_patterns(self):
        for rule in self:
            for field_name in ("sender_pattern", "keyword_pattern"):
                pattern = rule[field_name]
                if not pattern:
                    continue
                try:
                    re.compile(pattern)
                except re.error as error:
                    raise ValidationError(
                        self.env._(
                            "Rule %(rule)s: %(field)s %(pattern)s is not a valid "
                            "regular expression (%(error)s).",
                            rule=rule.name,
                            field=rule._fields[field_name].get_description(self.env)[
                                "string"
                            ],
                            pattern=pattern,
                            error=error.msg,
                        )
                    ) from error

    @api.constrains("deadline_days")
    def _check_deadline_days(self):
        for rule in self:
            if rule.deadline_days < 0:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s would set a reply deadline in the past.",
                        rule=rule.name,
                    )
                )

    @api.model
    def _match(self, company, mailbox, email_from, partner, subject, body):
        """The first rule of ``company`` matching the e-mail (or no rule)."""
        rules = self.search(
            [
                ("company_id", "=", company.id),
                "|",
                ("mailbox_id", "=", False),
                ("mailbox_id", "=", mailbox.id),
            ]
        )
        text = f"{subject}\n{body}"
        commercial = partner.commercial_partner_id if partner else partner
        for rule in rules:
            if rule.sender_pattern and not re.search(
                rule.sender_pattern, email_from or "", re.IGNORECASE
            ):
                continue
            if rule.partner_match == "known" and not partner:
                continue
            if rule.partner_match == "unknown" and partner:
                continue
            if rule.partner_ids and not (
                partner and (partner | commercial) & rule.partner_ids
            ):
                continue
            if rule.keyword_pattern and not re.search(
                rule.keyword_pattern, text, re.IGNORECASE
            ):
                continue
            return rule
        return self.browse()
