import base64
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
    # archived customers may still owe money (and the wizard need not read
    # the customers to leave them out)
    partner_ids = fields.Many2many(
        "res.partner", string="Customers", context={"active_test": False}
    )
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
        # the user's companies as Odoo caches them for the environment's
        # companies, rather than reading them again for each report
        allowed = self.env.user._get_company_ids()
        forbidden = self.company_ids.filtered(lambda company: company.id not in allowed)
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
        buckets = self.env["crm.aging.bucket"].search_fetch(
            [("company_id", "in", self.company_ids.ids)],
            ["name", "kind", "days_from", "days_to"],
            order="sequence, days_from, id",
        )
        columns = {}
        for bucket in buckets:
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
        query (``_report_query()``) sums the open items per customer and
        currency, an amount per column (bucket), sorted by the customer's
        name as shown (a row's salesperson is the one with the largest open
        amount of that customer), and adds those rows up per salesperson, per
        tag and overall.

        A row holds ids, the name shown and amounts (``partner_id``, ``name``,
        ``user_id``, ``currency_id``, ``cells``, ``total``), never records;
        ``users`` and ``currencies`` give the records of the ids. A cell is
        ``None`` when nothing is open in its bucket, so that reports leave it
        blank and the amounts stand out (most cells of a customer are empty,
        and PostgreSQL sends an empty one for much less than a zero); totals
        are always numbers.
        """
        self._check_options()
        columns = self._columns()
        target = self.env.company.currency_id
        if self.by_currency:
            rates = {}
        else:
            rates = self._conversion_rates(self.company_ids.currency_id, target)
        # read in SQL by the query (names and tags): written first
        self.env["res.partner"].flush_model(["complete_name", "category_id"])
        self.env["res.partner.category"].flush_model(["active"])
        entries = self.env.execute_query(self._report_query(columns, rates, target))
        currencies = self.env["res.currency"].browse({e[2] for e in entries}) | target
        currency_of = dict(zip(currencies._ids, currencies, strict=True))
        users = self.env["res.users"].browse({e[3] for e in entries if e[3]})
        user_of = dict(zip(users._ids, users, strict=True))
        user_of[None] = self.env["res.users"]
        rows = []
        groups = {"by_user": [], "by_category": [], "totals": []}
        for entry in entries:
            kind, key, currency_id, user_id = entry[:4]
            if kind == "row":
                rows.append(
                    {
                        "partner_id": key,
                        "name": entry[4],
                        "user_id": user_id,
                        "currency_id": currency_id,
                        "cells": entry[5:-1],
                        "total": entry[-1],
                    }
                )
                continue
            cells = {
                "currency": currency_of[currency_id],
                "cells": list(entry[5:-1]),
                "total": entry[-1],
            }
            group = groups[kind]
            if group and group[-1]["key_id"] == key:
                group[-1]["cells_by_currency"].append(cells)
            else:
                group.append({"key_id": key, "cells_by_currency": [cells]})
        for kind, model in (
            ("by_user", "res.users"),
            ("by_category", "res.partner.category"),
        ):
            keys = self.env[model].browse(
                g["key_id"] for g in groups[kind] if g["key_id"]
            )
            record_of = dict(zip(keys._ids, keys, strict=True))
            record_of[None] = self.env[model]
            for group in groups[kind]:
                group["key"] = record_of[group.pop("key_id")]
        return {
            "date": self.date,
            "columns": columns,
            "rows": rows,
            "users": user_of,
            "currencies": currency_of,
            "by_user": groups["by_user"],
            "by_category": groups["by_category"],
            "totals": groups["totals"][0]["cells_by_currency"]
            if groups["totals"]
            else [],
            "companies": self.company_ids,
            "currency": target,
        }

    def _report_query(self, columns, rates, target):
        """The report's rows and subtotals, as
        ``(kind, key, currency, salesperson, name, amount per column, total)``.

        ``kind`` is ``row`` (key: the customer; sorted by name as shown),
        ``by_user`` (key: the rows' salesperson), ``by_category`` (key: each
        active tag of the row's customer, or none) or ``totals`` (no key);
        the subtotals come in the order of their first row, one line per
        currency.

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
        # Summed as floats (the rows are floats anyway): numeric additions
        # cost more than a tenth of the query; cents stay exact at this scale.
        sums = query.select(
            keys,
            SQL("SUM(%s::float8)", amount),
            *(
                SQL(
                    "SUM(%s::float8) FILTER (WHERE %s.bucket_id = ANY(%s))",
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
            currency_order = SQL(
                """(SELECT currency.name FROM res_currency currency
                     WHERE currency.id = customer.currency_id),"""
            )
        else:
            row_currency = SQL("%s::int", target.id)
            currency_order = SQL()
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
        tags = self.env["res.partner"]._fields["category_id"]
        if self.partner_ids:
            tag_partners = SQL(
                "AND rel.%s = ANY(%s)",
                SQL.identifier(tags.column1),
                self.partner_ids.ids,
            )
        else:
            tag_partners = SQL()

        amounts = [*names, SQL.identifier("total")]
        rate = SQL("* rate.rate") if converted else SQL()
        cells = [SQL("SUM(item_sum.%s %s)", name, rate) for name in names]

        # The sums come sorted by customer, so PostgreSQL merges them with the
        # customers' primary key instead of looking each name up.
        return SQL(
            """
            WITH customer AS MATERIALIZED (
                SELECT customer.*,
                       ROW_NUMBER() OVER (ORDER BY COALESCE(customer.name, ''),
                                                   %(currency_order)s
                                                   customer.partner_id) AS position
                  FROM (
                    SELECT item_sum.partner_id, %(row_currency)s AS currency_id,
                           (ARRAY_AGG(item_sum.user_id
                                      ORDER BY item_sum.total DESC, item_sum.user_id)
                           )[1] AS user_id,
                           MIN(partner.complete_name) AS name,
                           %(cells)s, %(cells_total)s AS total
                      FROM (%(sums)s) AS item_sum (partner_id, user_id, currency_id,
                                                   total, %(names)s)
                 LEFT JOIN res_partner partner ON partner.id = item_sum.partner_id
                           %(rate_join)s
                     GROUP BY item_sum.partner_id, %(row_currency)s
                  ) AS customer
            ),
            tag AS MATERIALIZED (
                SELECT rel.%(tag_partner)s AS partner_id,
                       rel.%(tag_category)s AS category_id
                  FROM %(tag_table)s rel
                  JOIN res_partner_category category
                    ON category.id = rel.%(tag_category)s
                 WHERE category.active %(tag_partners)s
            ),
            subtotal AS (
                SELECT 'by_user' AS kind, customer.user_id AS group_key,
                       customer.currency_id, MIN(customer.position) AS position,
                       %(customer_sums)s
                  FROM customer
                 GROUP BY customer.user_id, customer.currency_id
             UNION ALL
                SELECT 'by_category', tag.category_id, customer.currency_id,
                       MIN(customer.position), %(customer_sums)s
                  FROM customer
             LEFT JOIN tag ON tag.partner_id = customer.partner_id
                 GROUP BY tag.category_id, customer.currency_id
             UNION ALL
                SELECT 'totals', NULL, customer.currency_id,
                       MIN(customer.position), %(customer_sums)s
                  FROM customer
                 GROUP BY customer.currency_id
            )
            SELECT kind, group_key, currency_id, user_id, name, %(amounts)s
              FROM (
                SELECT 'row' AS kind, customer.partner_id AS group_key,
                       customer.currency_id, customer.user_id, customer.name,
                       %(amounts)s, customer.position AS key_position,
                       customer.position
                  FROM customer
             UNION ALL
                SELECT subtotal.kind, subtotal.group_key, subtotal.currency_id, NULL,
                       NULL, %(amounts)s,
                       MIN(subtotal.position)
                           OVER (PARTITION BY subtotal.kind, subtotal.group_key),
                       subtotal.position
                  FROM subtotal
              ) AS line
             ORDER BY kind, key_position, group_key, position
            """,
            currency_order=currency_order,
            row_currency=row_currency,
            cells=SQL(", ").join(
                SQL("%s::float8 AS %s", cell, name)
                for cell, name in zip(cells, names, strict=True)
            ),
            cells_total=SQL(
                "(%s)::float8",
                SQL(" + ").join(SQL("COALESCE(%s, 0)", cell) for cell in cells),
            ),
            sums=sums,
            names=SQL(", ").join(names),
            rate_join=rate_join,
            customer_sums=SQL(", ").join(
                SQL("SUM(customer.%s) AS %s", name, name) for name in amounts
            ),
            tag_table=SQL.identifier(tags.relation),
            tag_partners=tag_partners,
            tag_partner=SQL.identifier(tags.column1),
            tag_category=SQL.identifier(tags.column2),
            amounts=SQL(", ").join(amounts),
        )

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
