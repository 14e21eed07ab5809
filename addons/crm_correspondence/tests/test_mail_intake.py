import base64
from datetime import timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.mail.tests.common import MockEmail

from .common import CorrespondenceCase

PLAIN = """\
From: {sender}
To: {to}
Subject: {subject}
Date: Mon, 23 Nov 2026 09:12:00 +0100
Message-ID: <{msgid}@writer.example.com>
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

{body}
"""

WITH_ATTACHMENT = """\
From: "Anna Nowak" <anna.nowak@newcomer.example.com>
To: {to}
Subject: =?utf-8?q?Zam=C3=B3wienie_nr_7?=
Date: Mon, 23 Nov 2026 09:12:00 +0100
Message-ID: <attach-1@newcomer.example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="XX"

--XX
Content-Type: text/plain; charset="iso-8859-2"
Content-Transfer-Encoding: quoted-printable

Dzie=F1 dobry, w za=B3=B1czeniu zam=F3wienie.
--XX
Content-Type: application/pdf; name="order-7.pdf"
Content-Disposition: attachment; filename="order-7.pdf"
Content-Transfer-Encoding: base64

{pdf}
--XX--
"""

NO_SENDER = """\
To: {to}
Subject: Anonymous notice
Message-ID: <anonymous-1@nowhere.example.com>
Content-Type: text/plain; charset="utf-8"

Somebody left this at the gate.
"""

UNKNOWN_CHARSET = """\
From: legacy@old-system.example.com
To: {to}
Subject: Legacy export
Message-ID: <legacy-1@old-system.example.com>
MIME-Version: 1.0
Content-Type: text/plain; charset="x-no-such-charset"
Content-Transfer-Encoding: 8bit

Report for customer 42: balance due.
"""

BROKEN_MIME = """\
From: broken@mailer.example.com
To: {to}
Subject: Broken structure
Message-ID: <broken-1@mailer.example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="never-closed"

--never-closed
Content-Type: text/plain; charset="utf-8"

First part is readable.
--never-closed
Content-Type: application/octet-stream; name="data.bin"
Content-Transfer-Encoding: base64

!!!this is not base64!!!
"""


@tagged("post_install", "-at_install")
class TestMailIntake(CorrespondenceCase, MockEmail):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.alias_domain_id = cls.env["mail.alias.domain"].create(
            {"name": "crm-test.example.com"}
        )
        cls.mailbox = cls.env["crm.correspondence.mailbox"].create(
            {
                "name": "Test office",
                "alias_name": "office-test",
                "department_id": cls.administration.id,
            }
        )
        cls.to = cls.mailbox.alias_id.alias_full_name
        cls.Rule = cls.env["crm.correspondence.rule"]
        cls.Rule.search([]).active = False  # the demo's rules
        cls.tag = cls.env["crm.correspondence.tag"].create({"name": "Test invoice"})

    def _process(self, template, **values):
        raw = template.format(to=self.to, **values)
        item_id = self.env["mail.thread"].message_process(None, raw.encode())
        return self.Item.browse(item_id)

    def _plain(
        self, sender="office@writer.example.com", subject="Hello", body="Hi", msgid="m1"
    ):
        return self._process(
            PLAIN, sender=sender, subject=subject, body=body, msgid=msgid
        )

    def test_email_becomes_an_incoming_item(self):
        item = self._plain(subject="Question about delivery", body="When?")
        self.assertEqual(item.direction, "incoming")
        self.assertTrue(item.name.startswith("IN/"))
        self.assertEqual((item.kind, item.channel), ("email", "email"))
        self.assertEqual(item.partner_id, self.customer, "known sender")
        self.assertEqual(item.subject, "Question about delivery")
        self.assertEqual(item.mailbox_id, self.mailbox)
        self.assertEqual(item.department_id, self.administration, "mailbox default")
        self.assertEqual(item.state, "assigned")
        self.assertEqual(
            item.deadline,
            fields.Date.context_today(self.env.user)
            + timedelta(days=self.company.crm_correspondence_reply_days),
        )
        self.assertIn(
            "When?", item.message_ids.filtered(lambda m: m.message_type == "email").body
        )
        self.assertFalse(item.intake_issue)
        # the same e-mail delivered twice is registered once
        self.assertFalse(self._plain(subject="Question about delivery", body="When?"))
        self.assertEqual(
            self.Item.search_count([("subject", "=", "Question about delivery")]), 1
        )

    def test_attachments_encoded_subject_and_unknown_sender(self):
        pdf = base64.b64encode(b"%PDF-1.4 order seven").decode()
        item = self._process(WITH_ATTACHMENT, pdf=pdf)
        self.assertEqual(item.subject, "Zamówienie nr 7")
        partner = item.partner_id
        self.assertEqual(partner.email, "anna.nowak@newcomer.example.com")
        self.assertEqual(
            partner.name, "Anna Nowak", "an unknown sender becomes a partner"
        )
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", item._name), ("res_id", "=", item.id)]
        )
        self.assertEqual(
            sorted(attachments.mapped("name")), ["order-7.pdf", "original_email.eml"]
        )
        pdf_attachment = attachments.filtered(lambda a: a.name == "order-7.pdf")
        self.assertEqual(pdf_attachment.raw, b"%PDF-1.4 order seven")
        body = item.message_ids.filtered(lambda m: m.message_type == "email").body
        self.assertIn("w załączeniu zamówienie", body)

    def test_rules_in_order(self):
        late = self.Rule.create(
            {
                "name": "Any invoice",
                "sequence": 20,
                "keyword_pattern": "invoice",
                "department_id": self.sales.id,
            }
        )
        first = self.Rule.create(
            {
                "name": "Writer's invoices",
                "sequence": 10,
                "sender_pattern": r"@writer\.example\.com$",
                "keyword_pattern": r"invoice|faktura",
                "user_id": self.accountant.id,
                "tag_ids": [(4, self.tag.id)],
                "deadline_days": 2,
            }
        )
        item = self._plain(subject="Invoice 12/2026", msgid="r1")
        self.assertEqual(item.user_id, self.accountant)
        self.assertEqual(item.department_id, self.administration, "the assignee's")
        self.assertEqual(item.tag_ids, self.tag)
        self.assertEqual(
            item.deadline, fields.Date.context_today(self.env.user) + timedelta(days=2)
        )
        self.assertEqual(item.forward_ids.reason, f"Routing rule: {first.name}")
        self.assertEqual(item.activity_ids.user_id, self.accountant)

        other = self._plain(
            sender="someone@else.example.com", subject="Invoice 3", msgid="r2"
        )
        self.assertEqual(other.department_id, self.sales, "second rule: other sender")
        self.assertFalse(other.user_id)

        first.sequence = 30
        again = self._plain(subject="Invoice 13/2026", msgid="r3")
        self.assertEqual(again.department_id, self.sales, "order decides")
        late.active = False
        body_match = self._plain(
            subject="Papers", body="the invoice is attached", msgid="r4"
        )
        self.assertEqual(body_match.user_id, self.accountant, "keywords in the body")

    def test_rule_on_known_partners_only(self):
        self.Rule.create(
            {
                "name": "Customers",
                "partner_match": "known",
                "department_id": self.sales.id,
            }
        )
        known = self._plain(msgid="k1")
        unknown = self._plain(sender="stranger@unknown.example.com", msgid="k2")
        self.assertEqual(known.department_id, self.sales)
        self.assertEqual(unknown.department_id, self.administration)
        self.assertTrue(
            unknown.partner_id, "registered with a new partner all the same"
        )

    def test_invalid_rule_patterns_are_refused(self):
        with self.assertRefused(ValidationError, "not a valid regular expression"):
            self.Rule.create({"name": "Broken", "keyword_pattern": "invoice(("})
        with self.assertRefused(ValidationError, "not a valid regular expression"):
            self.Rule.create({"name": "Broken sender", "sender_pattern": "*@x"})
        with self.assertRefused(ValidationError, "deadline in the past"):
            self.Rule.create({"name": "Late", "deadline_days": -2})
        self.assertFalse(
            self.Rule.search([("name", "in", ["Broken", "Broken sender", "Late"])])
        )

    def test_email_without_sender_is_registered(self):
        item = self._process(NO_SENDER)
        self.assertTrue(item)
        self.assertFalse(item.partner_id)
        self.assertEqual(item.subject, "Anonymous notice")
        self.assertEqual(item.intake_issue, "The e-mail has no sender.")

    def test_undecodable_email_is_registered_with_its_original(self):
        item = self._process(UNKNOWN_CHARSET)
        self.assertTrue(item, "never lost")
        self.assertEqual(item.subject, "Legacy export")
        self.assertEqual(item.email_from, "legacy@old-system.example.com")
        self.assertIn("could not be read completely", item.intake_issue)
        self.assertIn("x-no-such-charset", item.intake_issue)
        self.assertIn("balance due", item.body)
        original = self.env["ir.attachment"].search(
            [("res_model", "=", item._name), ("res_id", "=", item.id)]
        )
        self.assertEqual(original.name, "original_email.eml")
        self.assertIn(b"x-no-such-charset", original.raw)

    def test_broken_mime_is_registered_with_what_can_be_read(self):
        item = self._process(BROKEN_MIME)
        self.assertEqual(item.subject, "Broken structure")
        messages = item.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertIn("First part is readable", messages.body)
        names = (
            self.env["ir.attachment"]
            .search([("res_model", "=", item._name), ("res_id", "=", item.id)])
            .mapped("name")
        )
        self.assertIn("original_email.eml", names)

    def test_oversized_email_is_registered_and_bounced(self):
        self.mailbox.max_size_mb = 1
        body = "x" * (1024 * 1024 + 10)
        with self.mock_mail_gateway():
            item = self._plain(
                sender="big@writer.example.com",
                subject="Huge scan",
                body=body,
                msgid="big",
            )
        self.assertEqual(item.subject, "Huge scan")
        self.assertIn("exceeds the 1 MB limit", item.intake_issue)
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", item._name), ("res_id", "=", item.id)]
            )
        )
        bounce = [
            mail for mail in self._mails if "big@writer.example.com" in mail["email_to"]
        ]
        self.assertEqual(len(bounce), 1)
        self.assertIn("takes e-mails up to 1 MB", bounce[0]["body"])
        self.assertIn(item.name, bounce[0]["body"])

    def test_reply_from_the_chatter_is_registered_as_outgoing(self):
        item = self._plain(subject="Price list please", msgid="p1")
        attachment = (
            self.env["ir.attachment"]
            .with_user(self.clerk)
            .create(
                {
                    "name": "prices.pdf",
                    "raw": b"%PDF prices",
                    "res_model": "mail.compose.message",
                }
            )
        )
        item.with_user(self.clerk).message_post(
            body="<p>Here is our price list.</p>",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.customer.ids,
            attachment_ids=attachment.ids,
        )
        reply = item.reply_ids
        self.assertEqual(len(reply), 1)
        self.assertEqual(reply.direction, "outgoing")
        self.assertTrue(reply.name.startswith("OUT/"))
        self.assertEqual(reply.partner_id, self.customer)
        self.assertEqual(reply.user_id, self.clerk)
        self.assertIn("price list", reply.body)
        self.assertEqual(item.state, "answered")
        copies = self.env["ir.attachment"].search(
            [("res_model", "=", reply._name), ("res_id", "=", reply.id)]
        )
        self.assertEqual(copies.mapped("name"), ["prices.pdf"])
        # an internal note is not a reply
        item.with_user(self.clerk).message_post(
            body="note", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        self.assertEqual(len(item.reply_ids), 1)
