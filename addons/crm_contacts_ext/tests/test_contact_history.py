import base64

from odoo.tests import tagged

from .common import CrmContactsCase


@tagged("post_install", "-at_install")
class TestContactHistory(CrmContactsCase):
    def test_person_history_has_files_messages_and_meetings(self):
        self.anna.parent_id = self.acme
        self.env["ir.attachment"].create(
            {
                "name": "contract-scan.pdf",
                "datas": base64.b64encode(b"%PDF-1.4 test"),
                "res_model": "res.partner",
                "res_id": self.anna.id,
            }
        )
        self.anna.message_post(body="Called about the offer", message_type="comment")
        self.env["calendar.event"].create(
            {
                "name": "Coffee with Anna",
                "start": "2026-05-04 10:00:00",
                "stop": "2026-05-04 11:00:00",
                "partner_ids": [(6, 0, self.anna.ids)],
            }
        )
        self.env["res.partner"].create(
            {"name": "Colleague", "parent_id": self.acme.id}
        ).message_post(body="Not Anna's", message_type="comment")
        self.env.flush_all()
        action = self.anna.action_open_contact_history()
        events = self.env["crm.timeline.event"].search(action["domain"])
        self.assertEqual(
            sorted(events.mapped("kind")), ["attachment", "meeting", "note"]
        )
        attachment = events.filtered(lambda e: e.kind == "attachment")
        self.assertEqual(attachment.name, "contract-scan.pdf")
        # the company's timeline holds the person's events too
        company_events = self.env["crm.timeline.event"].search(
            self.acme.action_open_timeline()["domain"]
        )
        self.assertIn(attachment, company_events)
        self.assertEqual(len(company_events), 4)

    def test_quick_actions(self):
        call = self.anna.action_log_call()
        self.assertEqual(call["context"]["default_res_id"], self.anna.id)
        self.assertEqual(
            call["context"]["default_activity_type_id"],
            self.env.ref("mail.mail_activity_data_call").id,
        )
        meeting = self.anna.action_schedule_meeting()
        self.assertIn(self.anna.id, meeting["context"]["default_partner_ids"])
