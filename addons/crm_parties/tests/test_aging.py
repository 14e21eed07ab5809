import base64
import io
from datetime import date

import openpyxl

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL, config

from .common import CrmPartiesCase


@tagged("post_install", "-at_install")
class TestAging(CrmPartiesCase):
    """Invoices, credit notes and payments with known dates, checked to the cent.

    INV1 1000 (2026-01-01, due 01-31), paid 600 on 03-15 and 400 on 04-10
    INV2  500 (2026-02-01, due 03-03), unpaid
    INV3  200 (2026-03-20, due 04-19), unpaid
    FX1   300 CHF (= 150, 2026-02-10, due 02-10), 100 CHF paid on 03-10
    CN1   100 credit note on 04-01, unapplied; PAY3 50 on 04-05, unapplied
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.crm_aging_bounds = "30,60,90,120"
        cls.chf = cls.env.ref("base.CHF")
        cls.chf.active = True
        cls.env["res.currency.rate"].create(
            {
                "name": "2025-01-01",
                "rate": 2.0,
                "currency_id": cls.chf.id,
                "company_id": cls.company.id,
            }
        )
        cls.bank = cls.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", cls.company.id)], limit=1
        )
        cls.customer = cls.holding
        cls.inv1 = cls._invoice("2026-01-01", "2026-01-31", 1000.0)
        cls.inv2 = cls._invoice("2026-02-01", "2026-03-03", 500.0)
        cls.inv3 = cls._invoice("2026-03-20", "2026-04-19", 200.0)
        cls.fx1 = cls._invoice("2026-02-10", "2026-02-10", 300.0, currency=cls.chf)
        cls._pay(cls.inv1, "2026-03-15", 600.0)
        cls._pay(cls.inv1, "2026-04-10", 400.0)
        cls._pay(cls.fx1, "2026-03-10", 100.0, currency=cls.chf)
        cls.cn1 = cls._invoice(
            "2026-04-01", "2026-04-01", 100.0, move_type="out_refund"
        )
        cls.pay3 = cls.env["account.payment"].create(
            {
                "partner_id": cls.customer.id,
                "amount": 50.0,
                "payment_type": "inbound",
                "partner_type": "customer",
                "date": "2026-04-05",
                "journal_id": cls.bank.id,
            }
        )
        cls.pay3.action_post()

    @classmethod
    def _invoice(
        cls, day, due, amount, currency=None, move_type="out_invoice", partner=None
    ):
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": (partner or cls.customer).id,
                "invoice_date": day,
                "invoice_date_due": due,
                "currency_id": (currency or cls.company.currency_id).id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move

    @classmethod
    def _pay(cls, invoice, day, amount, currency=None):
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create(
            {
                "amount": amount,
                "payment_date": day,
                "journal_id": cls.bank.id,
                "currency_id": (currency or cls.company.currency_id).id,
            }
        )._create_payments()

    def _report(self, as_of, **options):
        return self.env["crm.aging.report"].create(
            {"date": as_of, "partner_ids": [Command.set(self.customer.ids)], **options}
        )

    def _cells(self, as_of, **options):
        """{bucket name: amount} of the customer's row as of a date."""
        data = self._report(as_of, **options)._get_report_data()
        rows = [r for r in data["rows"] if r["partner_id"] == self.customer.id]
        return {
            (data["currencies"][row["currency_id"]].name, col["name"]): round(value, 2)
            for row in rows
            for col, value in zip(data["columns"], row["cells"], strict=True)
            if value
        }

    def _currency(self):
        return self.company.currency_id.name

    def _assert_filled_alike_in_sql(self, records, fnames, fill):
        """``fill()``, the SQL that fills stored fields at install, writes
        back what the ORM keeps in ``fnames`` of ``records`` once cleared."""
        expected = [tuple(record[fname] for fname in fnames) for record in records]
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET %s WHERE id = ANY(%s)",
                SQL.identifier(records._table),
                SQL(", ").join(SQL("%s = NULL", SQL.identifier(f)) for f in fnames),
                records.ids,
            )
        )
        fill()
        records.invalidate_recordset(fnames)
        self.assertEqual(
            [tuple(record[fname] for fname in fnames) for record in records], expected
        )

    def test_buckets_before_any_payment(self):
        cur = self._currency()
        self.assertEqual(
            self._cells("2026-03-01"),
            {(cur, "1-30"): 1000.0 + 150.0, (cur, "Not due"): 500.0},
        )

    def test_paid_later_counts_as_open_on_a_past_date(self):
        cur = self._currency()
        # INV1 400 left (59 days), INV2 28 days, FX1 (300-100)/2 = 100 at 49 days
        self.assertEqual(
            self._cells("2026-03-31"),
            {
                (cur, "31-60"): 400.0 + 100.0,
                (cur, "1-30"): 500.0,
                (cur, "Not due"): 200.0,
            },
        )

    def test_after_the_payments_credit_notes_and_payments_are_unapplied(self):
        cur = self._currency()
        self.assertEqual(
            self._cells("2026-04-30"),
            {
                (cur, "31-60"): 500.0,
                (cur, "1-30"): 200.0,
                (cur, "61-90"): 100.0,
                (cur, "Unapplied credit"): -150.0,
            },
        )

    def test_subtotals_per_salesperson_tag_and_overall_follow_the_rows(self):
        """Rows by name; a customer counts under each of its tags, or none."""
        tags = self.env["res.partner.category"].create(
            [{"name": "Aging tag A"}, {"name": "Aging tag B"}]
        )
        Partner = self.env["res.partner"]
        alpha = Partner.create({"name": "Aging Alpha", "is_company": True})
        bravo = Partner.create(
            {
                "name": "Aging Bravo",
                "is_company": True,
                "user_id": self.sales_manager.id,
                "category_id": [Command.set(tags.ids)],
            }
        )
        for partner, user, day, due, amount in (
            (bravo, False, "2026-02-20", "2026-03-20", 40.0),
            (alpha, self.salesman, "2026-02-01", "2026-02-01", 100.0),
        ):
            move = self.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_user_id": user and user.id,
                    "invoice_date": day,
                    "invoice_date_due": due,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
            move.action_post()
        data = (
            self.env["crm.aging.report"]
            .create(
                {
                    "date": "2026-03-01",
                    "partner_ids": [Command.set((alpha | bravo).ids)],
                }
            )
            ._get_report_data()
        )

        def totals(groups):
            return [
                (group["key"], [entry["total"] for entry in group["cells_by_currency"]])
                for group in groups
            ]

        self.assertEqual(
            [(r["name"], r["total"]) for r in data["rows"]],
            [("Aging Alpha", 100.0), ("Aging Bravo", 40.0)],
        )
        self.assertEqual(data["users"][data["rows"][1]["user_id"]], self.sales_manager)
        self.assertEqual(
            totals(data["by_user"]),
            [(self.salesman, [100.0]), (self.sales_manager, [40.0])],
        )
        self.assertEqual(
            totals(data["by_category"]),
            [(self.env["res.partner.category"], [100.0]), (tags[0], [40.0]),
             (tags[1], [40.0])],
        )  # fmt: skip
        self.assertEqual([t["total"] for t in data["totals"]], [140.0])
        # a bucket left blank in every row is blank in the totals too
        columns = zip(
            data["totals"][0]["cells"], *(r["cells"] for r in data["rows"]), strict=True
        )
        for total, *cells in columns:
            amounts = [cell for cell in cells if cell is not None]
            self.assertEqual(
                None if total is None else round(total, 2),
                round(sum(amounts), 2) if amounts else None,
            )

    def test_salesperson_changed_on_a_posted_invoice_moves_its_open_amount(self):
        """The aging reads the entry's salesperson from its copy on the items."""
        invoice = self._invoice("2026-04-20", "2026-05-20", 70.0)
        invoice.invoice_user_id = self.salesman
        receivable = invoice.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        self.assertEqual(receivable.invoice_user_id, self.salesman)

        def open_by_user():
            lines = self.env["crm.aging.line"].with_context(
                aging_date="2026-04-30", aging_partner_ids=self.customer.ids
            )
            return dict(
                lines._read_group(
                    [("move_id", "=", invoice.id)], ["user_id"], ["amount_open:sum"]
                )
            )

        self.assertEqual(open_by_user(), {self.salesman: 70.0})
        invoice.invoice_user_id = self.sales_manager
        self.assertEqual(receivable.invoice_user_id, self.sales_manager)
        self.assertEqual(open_by_user(), {self.sales_manager: 70.0})

    def test_archived_customer_chosen_alone_is_reported_alone(self):
        """An archived customer may still owe money: choosing it gives its
        own aging, not everybody's."""
        other = self.env["res.partner"].create({"name": "Aging Other"})
        self._invoice("2026-04-01", "2026-04-10", 70.0, partner=other)
        self.customer.action_archive()
        data = self._report("2026-04-30")._get_report_data()
        self.assertEqual(
            [row["partner_id"] for row in data["rows"]], [self.customer.id]
        )
        self.assertEqual([total["total"] for total in data["totals"]], [650.0])

    def test_per_invoice_currency(self):
        cells = self._cells("2026-03-31", by_currency=True)
        self.assertEqual(cells[("CHF", "31-60")], 200.0)
        self.assertEqual(cells[(self._currency(), "31-60")], 400.0)

    def test_payment_made_in_the_transaction_counts_after_its_date_only(self):
        # No reconciliation spans 2026-06-15 until this payment of 07-01: the
        # query leaves out the reopened items, then must take them in.
        Line = self.env["crm.aging.line"]
        cur = self._currency()
        invoice = self._invoice("2026-05-01", "2026-05-31", 300.0)
        before = self._cells("2026-06-15")
        self.assertEqual(before[(cur, "1-30")], 300.0)
        self.assertFalse(Line._reopened_after(date(2026, 6, 15)))
        self._pay(invoice, "2026-07-01", 300.0)
        self.assertEqual(self._cells("2026-06-15"), before)
        self.assertTrue(Line._reopened_after(date(2026, 6, 15)))
        self.assertNotIn((cur, "1-30"), self._cells("2026-07-15"))

    def test_future_date_shows_what_will_be_overdue(self):
        cells = self._cells("2026-12-31")
        self.assertEqual(cells[(self._currency(), "Over 120")], 800.0)

    def test_total_equals_the_receivable_balance_of_the_journal_items(self):
        for as_of in ("2026-02-15", "2026-03-31", "2026-04-30", "2026-12-31"):
            data = self._report(as_of)._get_report_data()
            total = sum(t["total"] for t in data["totals"])
            lines = self.env["account.move.line"].search(
                [
                    ("partner_id", "=", self.customer.id),
                    ("account_id.account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                    ("date", "<=", as_of),
                ]
            )
            self.assertAlmostEqual(total, sum(lines.mapped("balance")), places=2)

    def test_only_overdue_leaves_out_not_due_and_credit(self):
        cells = self._cells("2026-04-30", only_overdue=True)
        self.assertNotIn((self._currency(), "Unapplied credit"), cells)
        self.assertEqual(sum(cells.values()), 800.0)

    def test_configured_bounds_make_other_buckets(self):
        self.company.crm_aging_bounds = "15,45"
        cells = self._cells("2026-03-31")
        cur = self._currency()
        self.assertEqual(
            cells,
            {(cur, "Over 45"): 500.0, (cur, "16-45"): 500.0, (cur, "Not due"): 200.0},
        )

    def test_invalid_bounds_are_refused(self):
        for bounds, message in (
            ("60,30", "must increase"),
            ("30,30", "would overlap"),
            ("0,30", "day 1 or later"),
            ("30,abc", "whole numbers"),
            ("", "at least one"),
        ):
            with self.assertRefused(message):
                self.company.crm_aging_bounds = bounds
        self.assertEqual(self.company.crm_aging_bounds, "30,60,90,120")

    def test_drill_down_from_a_cell_gives_its_items(self):
        Line = self.env["crm.aging.line"].with_context(aging_date="2026-04-30")
        bucket = self.env["crm.aging.bucket"].search(
            [("company_id", "=", self.company.id), ("name", "=", "Unapplied credit")]
        )
        items = Line.search(
            [("partner_id", "=", self.customer.id), ("bucket_id", "=", bucket.id)]
        )
        self.assertEqual(items.move_id, self.cn1 | self.pay3.move_id)
        self.assertEqual(sorted(items.mapped("amount_open")), [-100.0, -50.0])
        inv2 = Line.search([("move_id", "=", self.inv2.id)])
        self.assertEqual(
            (inv2.days_overdue, inv2.amount_original, inv2.amount_open),
            (58, 500.0, 500.0),
        )
        self.assertEqual(inv2.action_open_move()["res_id"], self.inv2.id)

    def _swiss_company(self):
        """A second company, in CHF, with a chart of accounts, for the user."""
        swiss = self.env["res.company"].create(
            {"name": "Swiss Co", "currency_id": self.chf.id}
        )
        self.env["account.chart.template"].try_loading(
            "generic_coa", swiss, install_demo=False
        )
        swiss.currency_id = self.chf  # the generic chart sets USD
        self.env.user.company_ids |= swiss
        return swiss

    def test_second_company_in_another_currency(self):
        """Companies' totals meet in the current company's currency."""
        swiss = self._swiss_company()
        invoice = (
            self.env["account.move"]
            .with_company(swiss)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_date": "2026-03-01",
                    "invoice_date_due": "2026-03-01",
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Service", "price_unit": 400.0, "tax_ids": []}
                        )
                    ],
                }
            )
        )
        invoice.action_post()
        report = self._report("2026-03-31", company_ids=[Command.set(self.company.ids)])
        self.assertEqual(
            sum(t["total"] for t in report._get_report_data()["totals"]), 1200.0
        )
        report.company_ids = self.company | swiss
        self.assertEqual(
            sum(t["total"] for t in report._get_report_data()["totals"]),
            1200.0 + 200.0,  # 400 CHF at 2 CHF per unit
        )
        self.env["res.currency.rate"].search(
            [("currency_id", "=", self.chf.id)]
        ).unlink()
        with self.assertRaisesRegex(UserError, "CHF has no exchange rate"):
            report._get_report_data()

    def test_company_the_user_may_not_see_is_refused(self):
        other = self.env["res.company"].create({"name": "Hidden Co"})
        accountant = new_test_user(
            self.env, login="crm_parties_acc", groups="account.group_account_invoice"
        )
        report = (
            self.env["crm.aging.report"]
            .with_user(accountant)
            .create({"date": "2026-03-31"})
        )
        report.sudo().company_ids = other | self.company
        # Odoo's own access check refuses it first, with its clear message
        with self.assertRaisesRegex(AccessError, "Companies"):
            report._get_report_data()

    def test_xlsx_has_real_numbers(self):
        report = self._report("2026-04-30")
        action = report.action_export_xlsx()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        sheet = book.worksheets[0]
        header = [cell.value for cell in sheet[4]]
        row = [cell.value for cell in sheet[5]]
        self.assertEqual(row[0], self.customer.display_name)
        self.assertEqual(row[header.index("31-60")], 500.0)
        self.assertEqual(row[header.index("Total")], 650.0)
        total_cell = sheet.cell(5, header.index("Total") + 1)
        self.assertEqual(
            (total_cell.data_type, total_cell.number_format), ("n", "#,##0.00")
        )
        # a bucket with nothing open is a blank cell, formatted like the others
        cells = report._get_report_data()["rows"][0]["cells"]
        self.assertIn(None, cells)
        self.assertEqual(row[3 : 3 + len(cells)], list(cells))
        blank_cell = sheet.cell(5, 4 + cells.index(None))
        self.assertEqual(blank_cell.number_format, "#,##0.00")

    def test_pdf_summary_and_statement(self):
        report = self._report("2026-04-30")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("crm_parties.report_crm_aging", report.ids)[0]
            .decode()
        )
        self.assertIn(self.customer.display_name, html)
        self.assertIn("Unsettled payments", html)
        statement = (
            self.env["ir.actions.report"]
            ._render_qweb_html("crm_parties.report_crm_statement", report.ids)[0]
            .decode()
        )
        for move in (self.inv2, self.inv3, self.cn1):
            self.assertIn(move.name, statement)
        self.assertNotIn(self.inv1.name, statement)
        # wkhtmltopdf fetches the styles from the server the tests run
        self.env["ir.config_parameter"].sudo().set_param(
            "report.url", f"http://127.0.0.1:{config['http_port']}"
        )
        pdf = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("crm_parties.report_crm_aging", report.ids)[0]
        )
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_payments_and_delays(self):
        settlements = self.env["crm.payment.settlement"].search(
            [("invoice_id", "=", self.inv1.id)], order="date"
        )
        self.assertEqual(
            [(s.days_late, s.amount, s.bucket_id.name) for s in settlements],
            [(43, 600.0, "31-60"), (69, 400.0, "61-90")],
        )

    def test_payments_grouped_by_delay_from_the_card(self):
        on_time = self._invoice("2026-04-01", "2026-04-30", 80.0)
        self._pay(on_time, "2026-04-20", 80.0)
        Settlement = self.env["crm.payment.settlement"]
        domain = self.customer.action_open_payments()["domain"]
        settlements = Settlement.search(domain)
        # FX1: 100 CHF = 50.00, paid 28 days after its due date
        self.assertEqual(
            sorted(
                (s.invoice_id.name, s.days_late, s.amount, s.bucket_id.name)
                for s in settlements
            ),
            sorted(
                [
                    (self.inv1.name, 43, 600.0, "31-60"),
                    (self.inv1.name, 69, 400.0, "61-90"),
                    (self.fx1.name, 28, 50.0, "1-30"),
                    (on_time.name, -10, 80.0, "Not due"),
                ]
            ),
        )
        self.assertEqual(
            settlements.filtered(lambda s: s.invoice_id == on_time).payment_move_id,
            on_time.line_ids.matched_credit_ids.credit_move_id.move_id,
        )
        # the groups the action opens with, and the rows of each group
        groups = Settlement.read_group(domain, ["amount:sum"], ["bucket_id"])
        self.assertEqual(
            {g["bucket_id"][1]: g["amount"] for g in groups},
            {"Not due": 80.0, "1-30": 50.0, "31-60": 600.0, "61-90": 400.0},
        )
        for group in groups:
            bucket_id = group["bucket_id"][0]
            self.assertEqual(
                Settlement.search(domain + [("bucket_id", "=", bucket_id)]),
                settlements.filtered(lambda s, b=bucket_id: s.bucket_id.id == b),
            )

    def test_reconciliations_know_the_customer(self):
        partials = (self.inv1 | self.fx1).line_ids.matched_credit_ids
        self.assertEqual(len(partials), 3)
        self.assertEqual(partials.debit_partner_id, self.customer)
        # ... and filled alike in SQL at install
        self._assert_filled_alike_in_sql(
            partials,
            ["debit_partner_id"],
            self.env["account.partial.reconcile"]._fill_debit_partner_id,
        )

    def test_last_reconciliation_date_follows_reconciliations(self):
        # what the average days to pay reads: kept by the ORM ...
        self.assertEqual(self.inv1.last_reconciliation_date, date(2026, 4, 10))
        self.assertEqual(self.fx1.last_reconciliation_date, date(2026, 3, 10))
        self.assertFalse(self.inv2.last_reconciliation_date)
        last_payment_line = self.inv1.line_ids.matched_credit_ids.filtered(
            lambda partial: partial.max_date == date(2026, 4, 10)
        ).credit_move_id
        last_payment_line.remove_move_reconcile()
        self.assertEqual(self.inv1.payment_state, "partial")
        self.assertEqual(self.inv1.last_reconciliation_date, date(2026, 3, 15))
        # ... and filled alike in SQL at install
        self._assert_filled_alike_in_sql(
            self.inv1 | self.inv2 | self.fx1,
            ["last_reconciliation_date"],
            self.env["account.move"]._fill_last_reconciliation_date,
        )

    def test_card_figures_and_purchase_history(self):
        self.assertEqual(self.customer.average_days_to_pay, 99)
        self.assertEqual(self.customer.last_payment_date, date(2026, 4, 10))
        history = self.env["crm.purchase.history"].search(
            [
                ("partner_id", "=", self.customer.id),
                ("product_id", "=", self.product.id),
            ]
        )
        self.assertEqual(history.quantity, 3.0)  # 4 invoices - 1 credit note
        self.assertAlmostEqual(history.amount, 1000 + 500 + 200 + 150 - 100)
        self.assertEqual(history.last_date, date(2026, 4, 1))
        self.assertEqual(history.invoice_count, 5)

    def test_purchase_history_counts_sales_only(self):
        """A vendor bill of the customer is no sale; an invoice switched to a
        credit note before posting counts as one."""
        History = self.env["crm.purchase.history"]
        domain = [("partner_id", "=", self.customer.id)]
        self._invoice("2026-05-01", "2026-05-01", 999.0, move_type="in_invoice")
        switched = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": "2026-05-02",
                "invoice_line_ids": [
                    Command.create({"product_id": self.product.id, "price_unit": 30.0})
                ],
            }
        )
        switched.action_switch_move_type()
        switched.action_post()
        self.assertEqual(
            switched.invoice_line_ids.move_type, "out_refund", "the line's copy"
        )
        history = History.search(domain)
        self.assertEqual(history.quantity, 2.0)
        self.assertAlmostEqual(history.amount, 1750.0 - 30.0)
        self.assertEqual(history.invoice_count, 6)

    def test_lines_copy_their_entry_fields(self):
        """The lines' copies of their entry's salesperson and type, kept by
        the ORM and filled alike in SQL at install."""
        self.inv1.invoice_user_id = self.salesman
        lines = (self.inv1 | self.cn1).line_ids
        expected = [
            (line.move_id.invoice_user_id, line.move_id.move_type) for line in lines
        ]
        self.assertEqual(
            [(line.invoice_user_id, line.move_type) for line in lines], expected
        )
        self._assert_filled_alike_in_sql(
            lines,
            ["invoice_user_id", "move_type"],
            self.env["account.move.line"]._fill_entry_copies,
        )

    def test_subtotals_see_what_was_just_written(self):
        """Names and tags changed in the same transaction, not yet written
        to the database, are those of the report's rows and subtotals."""
        tags = self.env["res.partner.category"].create(
            [{"name": "Retail"}, {"name": "Key account"}, {"name": "Former"}]
        )
        self.customer.category_id = [Command.set(tags.ids)]
        tags[2].active = False
        self.customer.name = "Renamed Holding"
        data = self._report("2026-04-30")._get_report_data()
        self.assertEqual(data["rows"][0]["name"], "Renamed Holding")
        self.assertEqual(
            [group["key"].id for group in data["by_category"]], sorted(tags[:2].ids)
        )

    def test_purchase_history_read_by_id(self):
        """Rows read by id, as an export of chosen rows reads them, are those
        of a search; the view is narrowed to the rows' customers first."""
        other = self.env["res.partner"].create({"name": "Other Customer"})
        self._invoice("2026-05-01", "2026-05-31", 70.0, partner=other)
        History = self.env["crm.purchase.history"]
        names = ["partner_id", "product_id", "quantity", "amount", "last_date"]
        expected = History.search_read(
            [("partner_id", "in", (self.customer | other).ids)], names
        )
        self.assertEqual(len(expected), 2)
        ids = [row["id"] for row in expected]
        self.env.invalidate_all()
        self.assertEqual(History.browse(ids).read(names), expected)
        self.env.invalidate_all()
        exported = History.browse(ids).export_data(["partner_id", "quantity"])
        self.assertEqual(
            exported["datas"],
            [[self.customer.display_name, 3.0], [other.display_name, 1.0]],
        )
        where = History._search([("id", "in", ids)]).where_clause
        self.assertIn('"partner_id" IN', where.code)
        self.assertIn(tuple(sorted((self.customer | other).ids)), where.params)

    def test_card_figures_see_a_payment_just_made(self):
        """A payment registered in the same transaction counts at once in
        the card's average days to pay, though not yet written."""
        customer = self.env["res.partner"].create({"name": "New Customer"})
        invoice = self._invoice("2026-05-01", "2026-05-31", 80.0, partner=customer)
        self._pay(invoice, "2026-05-11", 80.0)
        self.assertEqual(customer.average_days_to_pay, 10)
        self.assertEqual(customer.last_payment_date, date(2026, 5, 11))

    def test_card_figures_follow_the_companies_worked_in(self):
        swiss = self._swiss_company()
        payment = (
            self.env["account.payment"]
            .with_company(swiss)
            .create(
                {
                    "partner_id": self.customer.id,
                    "amount": 80.0,
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "date": "2026-05-01",
                }
            )
        )
        payment.action_post()
        for companies, last_payment in (
            (self.company, date(2026, 4, 10)),
            (self.company | swiss, date(2026, 5, 1)),
        ):
            customer = self.customer.with_context(allowed_company_ids=companies.ids)
            self.assertEqual(customer.last_payment_date, last_payment)

    def test_salesperson_without_rights_sees_no_amounts(self):
        with self.assertRaises(AccessError):
            self.env["crm.aging.line"].with_user(self.salesman).search([])
        with self.assertRaises(AccessError):
            self.customer.with_user(self.salesman).read(["receivable_overdue"])
        with self.assertRaises(AccessError):
            self.env["crm.aging.report"].with_user(self.salesman).create({})

    def test_sales_managers_see_receivables_when_configured(self):
        with self.assertRaises(AccessError):
            self.env["crm.aging.line"].with_user(self.sales_manager).search([])
        settings = self.env["res.config.settings"].create(
            {"crm_receivables_for_sales_managers": True}
        )
        settings.execute()
        self.assertTrue(self.sales_manager.has_group("crm_parties.group_receivables"))
        self.env["crm.aging.line"].with_user(self.sales_manager).search([])
        self.env["res.config.settings"].create(
            {"crm_receivables_for_sales_managers": False}
        ).execute()
        self.env.invalidate_all()
        self.assertFalse(self.sales_manager.has_group("crm_parties.group_receivables"))
