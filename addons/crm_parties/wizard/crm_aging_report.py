import base64
from collections import defaultdict
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..report.aging_xlsx import AgingXlsxWriter


class CrmAgingReport(models.TransientModel):
    """Options of the receivables aging, and the data its renderers share.

    ``_get_report_data()`` computes everything with a few grouped queries on
    ``crm.aging.line``; the screen (pivot and list), the PDF and the XLSX
    only present it.
    """

    _name = "crm.aging.report"
    _description = "Receivables Aging Report"

    date = fields.Date(string="As of", required=True, default=fields.Date.context_today)
    company_ids = fields.Many2many(
        "res.company",
        string="Companies",
        required=True,
        default=lambda self: self.env.companies,
    )
    user_ids = fields.Many2many("res.users", string="Salespeople")
    category_ids = fields.Many2many("res.partner.category", string="Partner tags")
    partner_ids = fields.Many2many("res.partner", string="Customers")
    # for the view: the web client cannot count records in an expression
    partner_count = fields.Integer(compute="_compute_partner_count")
    only_overdue = fields.Boolean(string="Only overdue")
    by_currency = fields.Boolean(
        string="Per invoice currency",
        help="Amounts in the currency of each invoice instead of the company's.",
    )

    @api.depends("partner_ids")
    def _compute_partner_count(self):
        for wizard in self:
            wizard.partner_count = len(wizard.partner_ids)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        partners = self.env["res.partner"].browse(
            self.env.context.get("aging_partner_ids", [])
        )
        if partners:
            values["partner_ids"] = [fields.Command.set(partners.ids)]
        return values

    # ------------------------------------------------------------------
    # Options
    # ------------------------------------------------------------------

    def _check_options(self):
        self.ensure_one()
        forbidden = self.company_ids - self.env.user.company_ids
        if forbidden:
            raise UserError(
                self.env._(
                    "You may not see the receivables of %(companies)s.",
                    companies=", ".join(forbidden.sudo().mapped("name")),
                )
            )

    def _line_model(self):
        return (
            self.env["crm.aging.line"]
            .with_context(
                aging_date=fields.Date.to_string(self.date),
                aging_partner_ids=self.partner_ids.ids or None,
            )
            .with_company(self.company_ids[:1] or self.env.company)
        )

    def _line_domain(self):
        domain = [("company_id", "in", self.company_ids.ids)]
        if self.user_ids:
            domain.append(("user_id", "in", self.user_ids.ids))
        if self.category_ids:
            domain.append(("partner_id.category_id", "in", self.category_ids.ids))
        if self.partner_ids:
            domain.append(("partner_id", "in", self.partner_ids.ids))
        if self.only_overdue:
            domain.append(("bucket_id.kind", "=", "overdue"))
        return domain

    # ------------------------------------------------------------------
    # Data
    # ------------------------------------------------------------------

    def _columns(self):
        """The buckets as columns: one per distinct range in the companies."""
        buckets = self.env["crm.aging.bucket"].search(
            [("company_id", "in", self.company_ids.ids)]
        )
        columns = {}
        for bucket in buckets.sorted(lambda b: (b.sequence, b.days_from)):
            key = (bucket.kind, bucket.days_from, bucket.days_to)
            columns.setdefault(key, {"key": key, "name": bucket.name})
        return list(columns.values())

    def _conversion_rates(self, currencies, target):
        """Rates to ``target`` on the as-of date; a clear error if one is missing.

        (Odoo would silently use 1.0 for a currency that has no rate.)
        """
        rates = {}
        for currency in currencies:
            if currency != target and not self.env["res.currency.rate"].search_count(
                [
                    ("currency_id", "=", currency.id),
                    ("name", "<=", self.date),
                    ("company_id", "in", [False, self.env.company.id]),
                ],
                limit=1,
            ):
                raise UserError(
                    self.env._(
                        "%(currency)s has no exchange rate on or before %(date)s: "
                        "add one (Accounting > Configuration > Currencies) or "
                        "report per invoice currency.",
                        currency=currency.name,
                        date=fields.Date.to_string(self.date),
                    )
                )
            rates[currency] = currency._get_conversion_rate(
                currency, target, self.env.company, self.date
            )
        return rates

    def _get_report_data(self):
        """Rows per customer, totals per salesperson, per tag and overall.

        Amounts are in the current company's currency (converted on the
        as-of date when companies differ), or per invoice currency.
        """
        self._check_options()
        Line = self._line_model()
        Line.invalidate_model()
        columns = self._columns()
        column_index = {col["key"]: i for i, col in enumerate(columns)}
        currency_field = "currency_id" if self.by_currency else "company_currency_id"
        amount_field = "amount_open_currency" if self.by_currency else "amount_open"
        # Undoing years of reconciliations hashes and sorts many rows.
        self.env.cr.execute("SET LOCAL work_mem = '64MB'")
        query = Line._search(self._line_domain())
        line = SQL.identifier(query.table)
        keys = SQL(
            "%(l)s.partner_id, %(l)s.user_id, %(l)s.%(cur)s, %(l)s.bucket_id",
            l=line,
            cur=SQL.identifier(currency_field),
        )
        query.order = None
        query.groupby = keys
        groups = self.env.execute_query(
            query.select(
                SQL("%s, SUM(%s.%s)", keys, line, SQL.identifier(amount_field))
            )
        )
        # one recordset per model, so that names are read in one query each
        partners = {
            p.id: p for p in self.env["res.partner"].browse({g[0] for g in groups})
        }
        users = {
            u.id: u
            for u in self.env["res.users"].browse({g[1] for g in groups if g[1]})
        }
        currencies = {
            c.id: c for c in self.env["res.currency"].browse({g[2] for g in groups})
        }
        users[None] = self.env["res.users"]
        buckets = {
            bucket.id: column_index[(bucket.kind, bucket.days_from, bucket.days_to)]
            for bucket in self.env["crm.aging.bucket"].browse({g[3] for g in groups})
        }
        target = self.env.company.currency_id
        rates = (
            {}
            if self.by_currency
            else self._conversion_rates(list(currencies.values()), target)
        )
        rows = {}
        for partner_id, user_id, currency_id, bucket_id, total in groups:
            currency = currencies[currency_id]
            row_currency = currency if self.by_currency else target
            row = rows.setdefault(
                (partner_id, row_currency.id),
                {
                    "partner": partners[partner_id],
                    "user": users[user_id],
                    "currency": row_currency,
                    "cells": [0.0] * len(columns),
                    "total": 0.0,
                },
            )
            value = total if self.by_currency else total * rates[currency]
            row["cells"][buckets[bucket_id]] += value
            row["total"] += value
        rows = sorted(
            rows.values(), key=lambda r: (r["partner"].name or "", r["currency"].name)
        )
        return {
            "date": self.date,
            "columns": columns,
            "rows": rows,
            "by_user": self._subtotals(rows, lambda r: [r["user"]]),
            "by_category": self._subtotals(rows, lambda r: r["partner"].category_id),
            "totals": self._subtotals(rows, lambda r: [False])[0]["cells_by_currency"]
            if rows
            else [],
            "companies": self.company_ids,
            "currency": target,
        }

    @staticmethod
    def _subtotals(rows, keys_of):
        """Sum the rows' cells under each key (a row may count under several)."""
        sums = defaultdict(lambda: defaultdict(lambda: None))
        for row in rows:
            for key in keys_of(row) or [False]:
                cells = sums[key][row["currency"]]
                if cells is None:
                    cells = sums[key][row["currency"]] = [0.0] * (len(row["cells"]) + 1)
                for i, value in enumerate([*row["cells"], row["total"]]):
                    cells[i] += value
        return [
            {
                "key": key,
                "cells_by_currency": [
                    {"currency": currency, "cells": cells[:-1], "total": cells[-1]}
                    for currency, cells in by_currency.items()
                ],
            }
            for key, by_currency in sums.items()
        ]

    def _get_statement_lines(self):
        """The open items of the selected customers, for a statement."""
        self._check_options()
        Line = self._line_model()
        Line.invalidate_model()
        return Line.search(self._line_domain(), order="partner_id, date_maturity, id")

    @api.model
    def _create_demo_receivables(self, specs):
        """Demo data: posted invoices and credit notes, with payments.

        ``specs``: (partner id, move type, days ago, payment term days,
        amount, [(days ago paid, amount paid)]).
        """
        today = fields.Date.context_today(self)
        product = self.env.ref("product.product_product_4")
        for partner_id, move_type, age, term_days, amount, payments in specs:
            invoice_date = today - timedelta(days=age)
            move = self.env["account.move"].create(
                {
                    "move_type": move_type,
                    "partner_id": partner_id,
                    "invoice_date": invoice_date,
                    "invoice_date_due": invoice_date + timedelta(days=term_days),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "price_unit": amount,
                                "discount": 0.0,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
            move.action_post()
            for paid_age, paid in payments:
                self.env["account.payment.register"].with_context(
                    active_model="account.move", active_ids=move.ids
                ).create(
                    {"amount": paid, "payment_date": today - timedelta(days=paid_age)}
                )._create_payments()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_view(self):
        self._check_options()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_parties.crm_aging_line_action"
        )
        action["domain"] = self._line_domain()
        action["context"] = {
            "aging_date": fields.Date.to_string(self.date),
            "aging_partner_ids": self.partner_ids.ids or None,
            "pivot_measures": [
                "amount_open_currency" if self.by_currency else "amount_open"
            ],
        }
        action["display_name"] = self.env._(
            "Aging as of %(date)s", date=fields.Date.to_string(self.date)
        )
        return action

    def action_print_pdf(self):
        self._check_options()
        return self.env.ref("crm_parties.action_report_crm_aging").report_action(self)

    def action_print_statement(self):
        self._check_options()
        if len(self.partner_ids) != 1:
            raise UserError(self.env._("Choose exactly one customer for a statement."))
        return self.env.ref("crm_parties.action_report_crm_statement").report_action(
            self
        )

    def action_export_xlsx(self):
        content = AgingXlsxWriter(self.env, self._get_report_data()).render()
        name = self.env._("Aging %(date)s.xlsx", date=fields.Date.to_string(self.date))
        attachment = self.env["ir.attachment"].create(
            {
                "name": name,
                "datas": base64.b64encode(content),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/vnd.openxmlformats-officedocument."
                "spreadsheetml.sheet",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }
