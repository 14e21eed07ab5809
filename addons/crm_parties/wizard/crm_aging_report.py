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
            column = columns.setdefault(
                key, {"key": key, "name": bucket.name, "bucket_ids": []}
            )
            column["bucket_ids"].append(bucket.id)
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
        as-of date when companies differ), or per invoice currency. One
        query sums the open items per customer and currency, an amount per
        column (bucket), sorted by the customer's name as shown; a row's
        salesperson is the one with the largest open amount of that customer.
        Totals are added up from the rows, column by column.
        """
        self._check_options()
        columns = self._columns()
        target = self.env.company.currency_id
        if self.by_currency:
            rates = {}
        else:
            rates = self._conversion_rates(self.company_ids.currency_id, target)
        # (customer id, currency id, salesperson id, name, *cells): tuples of
        # plain values, which the garbage collector stops tracking, so that
        # thousands of rows do not set off a full collection
        entries = self.env.execute_query(self._rows_query(columns, rates, target))
        currencies = self.env["res.currency"].browse({e[1] for e in entries})
        currency_of = {currency.id: currency for currency in currencies | target}
        partners = self.env["res.partner"].browse({e[0] for e in entries})
        totals = self._subtotals(entries, currency_of, None, lambda e: [False])
        return {
            "date": self.date,
            "columns": columns,
            "rows": self._rows(entries, partners, currency_of),
            "by_user": self._subtotals(
                entries, currency_of, "res.users", lambda e: [e[2]]
            ),
            "by_category": self._subtotals(
                entries, currency_of, "res.partner.category", self._tags_of(partners)
            ),
            "totals": totals[0]["cells_by_currency"] if totals else [],
            "companies": self.company_ids,
            "currency": target,
        }

    def _rows_query(self, columns, rates, target):
        """(customer, currency, salesperson, name, amount per column), by name.

        The open items of ``crm.aging.line`` (its domain and access rules)
        are first summed per customer, salesperson, item currency and column,
        then per customer and row currency, converted with ``rates`` (item
        currency: rate) unless reporting per invoice currency.
        """
        Line = self._line_model()
        Line.invalidate_model()
        currency_field = "currency_id" if self.by_currency else "company_currency_id"
        amount_field = "amount_open_currency" if self.by_currency else "amount_open"
        # Sorting and hashing tens of thousands of groups needs more than 4 MB.
        self.env.cr.execute("SET LOCAL work_mem = '64MB'")
        query = Line._search(self._line_domain())
        line = SQL.identifier(query.table)
        amount = SQL("%s.%s", line, SQL.identifier(amount_field))
        keys = SQL(
            "%(l)s.partner_id, %(l)s.user_id, %(l)s.%(cur)s",
            l=line,
            cur=SQL.identifier(currency_field),
        )
        query.order = None
        query.groupby = keys
        sums = query.select(
            keys,
            SQL("SUM(%s)", amount),
            *(
                SQL(
                    "SUM(%s) FILTER (WHERE %s.bucket_id = ANY(%s))",
                    amount,
                    line,
                    column["bucket_ids"],
                )
                for column in columns
            ),
        )
        names = [SQL.identifier(f"column_{i}") for i in range(len(columns))]
        if self.by_currency:
            row_currency = SQL("item_sum.currency_id")
        else:
            row_currency = SQL("%s::int", target.id)
        converted = any(rate != 1.0 for rate in rates.values())
        if converted:
            rate_join = SQL(
                "JOIN (VALUES %s) AS rate (currency_id, rate)"
                " ON rate.currency_id = item_sum.currency_id",
                SQL(", ").join(
                    SQL("(%s, %s::numeric)", currency.id, rate)
                    for currency, rate in rates.items()
                ),
            )
        else:
            rate_join = SQL()
        # The name by primary key, row by row: the planner cannot estimate the
        # rows of the view, and joins them badly.
        return SQL(
            """
            SELECT customer.partner_id, customer.currency_id, customer.user_id,
                   customer.name, %(names)s
              FROM (
                SELECT item_sum.partner_id, %(row_currency)s AS currency_id,
                       (ARRAY_AGG(item_sum.user_id
                                  ORDER BY item_sum.total DESC, item_sum.user_id)
                       )[1] AS user_id,
                       (SELECT partner.complete_name FROM res_partner partner
                         WHERE partner.id = item_sum.partner_id) AS name,
                       %(cells)s
                  FROM (%(sums)s) AS item_sum (partner_id, user_id, currency_id,
                                               total, %(names)s)
                       %(rate_join)s
                 GROUP BY item_sum.partner_id, %(row_currency)s
              ) AS customer
             ORDER BY COALESCE(customer.name, ''), %(currency_order)s
                      customer.partner_id
            """,
            currency_order=SQL(
                """(SELECT currency.name FROM res_currency currency
                     WHERE currency.id = customer.currency_id),"""
            )
            if self.by_currency
            else SQL(),
            row_currency=row_currency,
            cells=SQL(", ").join(
                # as floats, as Odoo would convert them, but by the driver
                SQL(
                    "COALESCE(SUM(item_sum.%s %s), 0)::float8 AS %s",
                    name,
                    SQL("* rate.rate") if converted else SQL(),
                    name,
                )
                for name in names
            ),
            sums=sums,
            names=SQL(", ").join(names),
            rate_join=rate_join,
        )

    def _rows(self, entries, partners, currency_of):
        """The report's rows, one per entry: records, the name shown, amounts."""
        partner_of = dict(zip(partners._ids, partners, strict=True))
        users = self.env["res.users"].browse({e[2] for e in entries if e[2]})
        user_of = dict(zip(users._ids, users, strict=True))
        user_of[None] = self.env["res.users"]
        return [
            {
                "partner": partner_of[entry[0]],
                "name": entry[3],
                "user": user_of[entry[2]],
                "currency": currency_of[entry[1]],
                "cells": entry[4:],
                "total": sum(entry[4:]),
            }
            for entry in entries
        ]

    def _tags_of(self, partners):
        """A function giving the ids of the active tags of an entry's customer."""
        tags = defaultdict(list)
        Partner = self.env["res.partner"].with_context(active_test=False)
        for category, partner_ids in Partner._read_group(
            [("id", "in", partners.ids), ("category_id", "!=", False)],
            ["category_id"],
            ["id:array_agg"],
        ):
            if category.active:  # as reading the customers' tags shows them
                for partner_id in partner_ids:
                    tags[partner_id].append(category.id)
        return lambda entry: tags.get(entry[0])

    def _subtotals(self, entries, currency_of, model, keys_of):
        """Sum the rows' cells under each key (a row may count under several).

        ``keys_of(entry)`` gives ids of ``model`` (a row without any counts
        under ``False``); the keys come back as records.
        """
        groups = {}  # {key: {currency id: [entry]}}
        for entry in entries:
            for key in keys_of(entry) or [False]:
                groups.setdefault(key, {}).setdefault(entry[1], []).append(entry)
        record_of = {False: False}
        if model:
            records = self.env[model].browse(key for key in groups if key)
            record_of.update(zip(records._ids, records, strict=True))
            record_of[None] = self.env[model]
        return [
            {
                "key": record_of[key],
                "cells_by_currency": [
                    {
                        "currency": currency_of[currency_id],
                        "cells": cells,
                        "total": sum(cells),
                    }
                    for currency_id, group in by_currency.items()
                    for cells in [
                        [sum(column) for column in list(zip(*group, strict=True))[4:]]
                    ]
                ],
            }
            for key, by_currency in groups.items()
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
