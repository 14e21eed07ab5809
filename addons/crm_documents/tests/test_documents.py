import base64
from contextlib import contextmanager
from datetime import date

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestDocuments(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        groups = "crm_documents.group_document_user"
        cls.owner = new_test_user(cls.env, login="doc_owner", groups=groups)
        cls.colleague = new_test_user(cls.env, login="doc_colleague", groups=groups)
        cls.approver = new_test_user(cls.env, login="doc_approver", groups=groups)
        cls.manager = new_test_user(
            cls.env, login="doc_manager", groups="crm_documents.group_document_manager"
        )
        # one time zone for all, so that "today" is one day for every user
        # whatever the hour the tests run at
        (cls.owner | cls.colleague | cls.approver | cls.manager).tz = cls.env.user.tz
        cls.customer = cls.env["res.partner"].create(
            {"name": "Doc Customer", "is_company": True}
        )
        cls.contract_type = cls.env.ref("crm_documents.document_type_contract")
        cls.contract = (
            cls.env["crm.document"]
            .with_user(cls.owner)
            .create(
                {
                    "name": "Service contract",
                    "type_id": cls.contract_type.id,
                    "partner_ids": [(6, 0, cls.customer.ids)],
                    "approver_id": cls.approver.id,
                    "date_from": "2026-01-01",
                    "date_to": "2026-12-31",
                    "notice_days": 60,
                    "amount": 1000.0,
                }
            )
        )

    @contextmanager
    def assertRefused(self, exception, pattern):
        """Odoo's assertRaises (a savepoint: nothing half-written), then the text."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertRegex(str(caught.exception), pattern)

    @staticmethod
    def _file(text):
        return base64.b64encode(text.encode())

    def test_number_barcode_and_notice_date(self):
        self.assertTrue(self.contract.number.startswith("DOC/"))
        self.assertEqual(self.contract.barcode, f"DOC{self.contract.id:07d}")
        self.assertEqual(self.contract.notice_date, date(2026, 11, 1))

    def test_status_flow_and_who_may_move_it(self):
        contract = self.contract.with_user(self.owner)
        contract.action_submit()
        self.assertEqual(contract.state, "review")
        with self.assertRaisesRegex(UserError, "Only the approver"):
            contract.action_approve()  # the owner is not the approver
        contract.with_user(self.approver).action_approve()
        contract.action_sign()
        self.assertEqual(contract.date_signed, fields.Date.context_today(self.env.user))
        with self.assertRaisesRegex(UserError, "cannot go from Signed to Archived"):
            contract.action_archive_document()
        with self.assertRaisesRegex(UserError, "Only the owner"):
            contract.with_user(self.colleague).action_activate()
        contract.with_user(self.manager).action_activate()
        self.assertEqual(contract.state, "active")

    def test_check_out_locks_for_others_until_check_in(self):
        contract = self.contract.with_user(self.owner)
        contract.action_check_out()
        with self.assertRaisesRegex(UserError, "checked out by doc_owner"):
            self.contract.with_user(self.colleague).action_check_out()
        with self.assertRaisesRegex(
            UserError, "Only doc_owner .*or a document manager"
        ):
            self.contract.with_user(self.colleague).action_release()
        wizard = (
            self.env["crm.document.check.in"]
            .with_user(self.owner)
            .create(
                {
                    "document_id": contract.id,
                    "datas": self._file("v1"),
                    "filename": "contract-v1.txt",
                    "comment": "first",
                }
            )
        )
        wizard.action_check_in()
        self.assertFalse(contract.checked_out_by_id)
        self.contract.with_user(self.colleague).action_check_out()
        self.contract.with_user(self.manager).action_release()
        self.assertFalse(contract.checked_out_by_id)

    def test_versions_keep_who_when_and_the_metadata_then(self):
        contract = self.contract.with_user(self.owner)
        contract.action_check_out()
        v1 = contract._add_version(self._file("one"), "c-v1.txt", "draft")
        contract.amount = 1500.0
        contract.action_check_out()
        v2 = contract._add_version(self._file("two"), "c-v2.txt", "new price")
        self.assertEqual((v1.number, v2.number), (1, 2))
        self.assertEqual(contract.current_version_id, v2)
        self.assertTrue(v2.is_current and not v1.is_current)
        self.assertEqual((v1.amount, v2.amount), (1000.0, 1500.0))
        self.assertEqual(v2.create_uid, self.owner)

    def test_too_big_file_is_refused_and_previous_version_kept(self):
        contract = self.contract.with_user(self.owner)
        contract.action_check_out()
        v1 = contract._add_version(self._file("ok"), "ok.txt", "")
        self.env.company.crm_document_max_size_mb = 1
        contract.action_check_out()
        with self.assertRefused(ValidationError, "limited to 1 MB"):
            contract._add_version(
                base64.b64encode(b"x" * (1024 * 1024 + 10)), "big.bin", ""
            )
        self.assertEqual(contract.version_ids, v1)
        self.assertEqual(contract.checked_out_by_id, self.owner)

    def test_bad_dates_are_refused(self):
        with self.assertRefused(ValidationError, "is before valid from"):
            self.contract.date_to = date(2025, 12, 1)
        with self.assertRefused(ValidationError, "longer than the document"):
            self.contract.notice_days = 400
        self.assertEqual(
            (self.contract.date_to, self.contract.notice_days), (date(2026, 12, 31), 60)
        )

    def test_locations_hierarchy_and_labels(self):
        Location = self.env["crm.document.location"]
        site = Location.create({"name": "HQ", "kind": "site"})
        room = Location.create(
            {"name": "Archive", "kind": "room", "parent_id": site.id}
        )
        binder = Location.create({"name": "B1", "kind": "binder", "parent_id": room.id})
        self.assertEqual(binder.complete_name, "HQ / Archive / B1")
        self.assertIn(binder, Location.search([("id", "child_of", site.id)]))
        with self.assertRefused(UserError, "Recursion"):
            site.parent_id = binder
        self.assertIn("<svg", binder._barcode_svg())
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "crm_documents.action_report_crm_location_label", (binder | site).ids
            )[0]
            .decode()
        )
        self.assertEqual(html.count("<svg"), 2)

    def test_lending_log_and_overdue_returns(self):
        with freeze_time("2026-03-10"):
            self.env["crm.document.movement"].create(
                {
                    "document_id": self.contract.id,
                    "lent_to_id": self.customer.id,
                    "date_lent": "2026-03-01",
                    "date_expected": "2026-03-05",
                }
            )
            self.contract.invalidate_recordset()
            self.assertEqual(self.contract.lent_to_id, self.customer)
            self.assertTrue(self.contract.return_overdue)
            overdue = self.env["crm.document.movement"].search(
                [("is_overdue", "=", True)]
            )
            self.assertIn(self.contract.movement_ids, overdue)
            with self.assertRefused(ValidationError, "already lent"):
                self.env["crm.document.movement"].create(
                    {"document_id": self.contract.id, "lent_to_id": self.customer.id}
                )
            self.contract.action_return()
            self.assertEqual(
                self.contract.movement_ids.date_returned, date(2026, 3, 10)
            )
            with self.assertRaisesRegex(UserError, "was not lent"):
                self.contract.action_return()

    def test_barcode_lookup(self):
        Scan = self.env["crm.document.scan"]
        action = Scan.create({"barcode": self.contract.barcode}).action_open()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("crm.document", self.contract.id)
        )
        binder = self.env["crm.document.location"].create(
            {"name": "B9", "kind": "binder"}
        )
        action = Scan.create({"barcode": f" {binder.barcode} "}).action_open()
        self.assertEqual(action["res_id"], binder.id)
        with self.assertRaisesRegex(
            UserError, "No document or binder has the barcode NOPE"
        ):
            Scan.create({"barcode": "NOPE"}).action_open()

    def _reminders(self):
        return self.env["mail.activity"].search(
            [("res_model", "=", "crm.document"), ("res_id", "=", self.contract.id)]
        )

    def test_notice_and_end_reminders_once(self):
        self.contract.state = "active"
        self.env.company.crm_document_reminder_days = 30
        Document = self.env["crm.document"]
        with freeze_time("2026-09-30"):  # notice date 11-01 is 32 days away
            Document._cron_expiry()
        self.assertFalse(self._reminders())
        with freeze_time("2026-10-05"):
            Document._cron_expiry()
            Document._cron_expiry()
        notice = self._reminders()
        self.assertEqual(len(notice), 1)
        self.assertIn("Last day to give notice", notice.summary)
        self.assertEqual(notice.user_id, self.owner)
        with freeze_time("2026-12-10"):  # a missed month: the end is still caught
            Document._cron_expiry()
        self.assertEqual(len(self._reminders()), 2)
        with freeze_time("2027-01-02"):
            Document._cron_expiry()
        self.assertEqual(self.contract.state, "expired")
        self.assertEqual(len(self._reminders()), 2)

    def test_renewal_chain(self):
        self.contract.state = "active"
        action = self.contract.action_renew()
        renewal = self.env["crm.document"].browse(action["res_id"])
        self.assertEqual(renewal.previous_id, self.contract)
        self.assertEqual(self.contract.next_id, renewal)
        self.assertEqual(
            (renewal.date_from, renewal.date_to), (date(2027, 1, 1), date(2027, 12, 31))
        )
        self.assertEqual(renewal.state, "draft")
        with self.assertRaisesRegex(UserError, "already renewed"):
            self.contract.action_renew()

    def test_confidential_documents_only_for_those_involved(self):
        self.contract.write(
            {"confidential": True, "reviewer_ids": [(6, 0, self.approver.ids)]}
        )
        for user, visible in (
            (self.owner, True),
            (self.approver, True),
            (self.manager, True),
            (self.colleague, False),
        ):
            found = (
                self.env["crm.document"]
                .with_user(user)
                .search([("id", "=", self.contract.id)])
            )
            self.assertEqual(bool(found), visible, user.login)
        with self.assertRaises(AccessError):
            self.contract.with_user(self.colleague).read(["name"])

    def test_document_on_partner_timeline_and_card(self):
        self.env.flush_all()
        events = self.env["crm.timeline.event"].search(
            [
                ("commercial_partner_id", "=", self.customer.id),
                ("kind", "=", "document"),
            ]
        )
        self.assertEqual(events.res_id, self.contract.id)
        self.assertEqual(self.customer.crm_document_count, 1)
        self.assertEqual(
            self.env["crm.document"].search(
                self.customer.action_open_documents()["domain"]
            ),
            self.contract,
        )

    def test_search_by_file_name(self):
        self.contract.with_user(self.owner).action_check_out()
        self.contract._add_version(self._file("x"), "annex-prices.pdf", "")
        found = self.env["crm.document"].search(
            [("version_ids.filename", "ilike", "prices")]
        )
        self.assertEqual(found, self.contract)
