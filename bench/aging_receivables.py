"""Receivables aging on 1,000,000 items: the report against a plain ORM loop.

Asked for by ``crm_parties`` (the aging of its ``crm.aging.line`` SQL view, the
``crm.aging.report`` wizard and its XLSX, the receivable figures of the
partner card). On about 1,000,000 posted receivable items of 20,000 customers
over 4 years (``_receivables_data.py``), it times:

* **(a) all customers, today** and **(b) all customers, 2 years ago**:
  ``crm.aging.report._get_report_data()``. Baseline: a plain ORM loop (search
  the receivable items, then read each one's residual and reconciliations,
  buckets in Python). On 1,000,000 items that loop would take far too long:
  it runs on a sample of 200 customers (every 100th), shown as measured
  against the report restricted to the same customers, and extrapolated to
  all customers by the number of items.
* **(c) one customer**: its aging (the report for that customer), the card
  figures (``receivable_overdue``, ``average_days_to_pay``,
  ``last_payment_date``) and its purchase history (``crm.purchase.history``);
  for the biggest customer and a typical one, then the biggest again as an
  accountant (a Billing user: its access rights and record rules apply).
  Baseline: the same by ORM loops.
* **(d) XLSX**: ``AgingXlsxWriter(env, data).render()`` of (a)'s data, against
  bare ``xlsxwriter`` writing the same cells (recorded from the writer).

Goals on 2 cores: (a) 300 ms, (b) 1 s, (c) 50 ms, (d) 1.5x bare xlsxwriter.
Before any timing, the paths must agree to the cent: the report and the loop
per customer and bucket on the sample and for (c); for all customers, the
report's grand total and the SQL sum of the receivable items dated up to the
as-of date (reconciliations between two such items cancel out); the XLSX and
the bare workbook cell by cell. Otherwise the script exits 1. When a goal is
missed, it prints the ``EXPLAIN (ANALYZE, BUFFERS)`` of the queries behind it.

Usage: ``./crm bench --db crm_bench_aging bench/aging_receivables.py``
"""

import cProfile
import io
import pstats
import re
import statistics
import sys
import time
import zipfile
from collections import defaultdict
from fractions import Fraction
from functools import partial
from xml.etree import ElementTree

import xlsxwriter
from _common import (
    environment,
    median_ms,
    median_timings,
    peak_rss_mb,
    print_table,
    query_count,
)
from _receivables_data import ensure_receivables
from dateutil.relativedelta import relativedelta
from xlsxwriter.utility import xl_col_to_name

from odoo import Command, fields
from odoo.tools import SQL

SAMPLE_EVERY = 100  # customers 100, 200, ..., 20000
TYPICAL = 10_000  # from "Bench Customer 10000" on, the first with open items
PAST_YEARS = 2
RUNS = 5
CENT = 0.005
INDEXES = [
    ("account_partial_reconcile", "crm_parties_partial_reconcile_date_range_idx"),
    ("account_partial_reconcile", "crm_parties_partial_reconcile_partner_date_idx"),
    ("account_move_line", "crm_parties_aml_open_item_user_idx"),
    ("account_move", "crm_parties_account_move_customer_entry_idx"),
    ("account_move_line", "crm_parties_aml_customer_product_idx"),
    ("account_payment", "crm_parties_account_payment_partner_company_idx"),
    ("account_partial_reconcile", "account_partial_reconcile__debit_move_id_index"),
    ("account_partial_reconcile", "account_partial_reconcile__credit_move_id_index"),
]
# (what, wall, on a core, waiting for a core, full collections, reference)
# of the goal lines: medians in ms (full collections: mean)
TIMINGS = []
# {(customer id, day): (its ORM loop's result, ms)}
LOOPS = {}
HISTORY_FIELDS = ["product_id", "quantity", "amount", "last_date", "invoice_count"]
XLSX_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


class Disagreement(Exception):
    """The report and its baseline give different answers."""


# ----------------------------------------------------------------------
# The report's side
# ----------------------------------------------------------------------


def report_data(env, date, partner_ids=()):
    """What the wizard computes, for all customers or some of them."""
    wizard = env["crm.aging.report"].create(
        {"date": date, "partner_ids": [Command.set(list(partner_ids))]}
    )
    return wizard._get_report_data()


def report_cells(data):
    """``{partner id: {bucket key: amount}}`` of the report's rows (the
    buckets with nothing open, left blank in the report, left out)."""
    keys = [col["key"] for col in data["columns"]]
    return {
        row["partner_id"]: {
            key: amount
            for key, amount in zip(keys, row["cells"], strict=True)
            if amount is not None
        }
        for row in data["rows"]
    }


def grand_total(data):
    return sum(total["total"] for total in data["totals"])


def customer_view(env, partner_id, today):
    """One customer as the card shows it: aging, figures, purchase history."""
    aging = report_cells(report_data(env, today, [partner_id]))
    partner = env["res.partner"].browse(partner_id)
    figures = (
        partner.receivable_overdue,
        partner.average_days_to_pay,
        partner.last_payment_date,
    )
    rows = env["crm.purchase.history"].search_read(
        [("partner_id", "=", partner_id)], HISTORY_FIELDS
    )
    return aging, figures, {
        row["product_id"][0]: (row["quantity"], row["amount"], row["last_date"],
                               row["invoice_count"])
        for row in rows
    }  # fmt: skip


SETTLEMENT_FIELDS = [
    "date", "payment_move_id", "invoice_id", "days_late", "bucket_id", "amount"
]  # fmt: skip


def payment_view(env, partner_id):
    """A customer's payments as the card opens them: grouped by delay, then
    the latest of one group."""
    Settlement = env["crm.payment.settlement"]
    domain = [("partner_id", "in", [partner_id])]
    groups = Settlement.read_group(domain, ["amount:sum"], ["bucket_id"])
    first_group = [("bucket_id", "=", groups[0]["bucket_id"][0])]
    page = Settlement.search_read(domain + first_group, SETTLEMENT_FIELDS, limit=80)
    return groups, page


def settled_by_loop(env, partner_id):
    """What the customer's receivable debits were settled by, from the ORM."""
    debits = env["account.move.line"].search(
        [
            ("partner_id", "=", partner_id),
            ("account_id.account_type", "=", "asset_receivable"),
        ]
    )
    return sum(debits.matched_credit_ids.mapped("amount"))


# ----------------------------------------------------------------------
# The straightforward ORM loops (baselines)
# ----------------------------------------------------------------------


def bucket_of(buckets, amount, days):
    """The report's bucket of an open item, by the same rule as the view."""
    if amount < 0:
        return next(key for key in buckets if key[0] == "credit")
    if days <= 0:
        return next(key for key in buckets if key[0] == "not_due")
    for key in buckets:
        kind, low, high = key
        if kind == "overdue" and days >= low and (high == 0 or days <= high):
            return key
    raise ValueError(f"no bucket for {days} days")


def aging_by_loop(env, partner_ids, date):
    """Open items as of ``date`` per customer and bucket, one item at a time."""
    company = env.company
    buckets = [
        (b.kind, b.days_from, b.days_to)
        for b in env["crm.aging.bucket"].search([("company_id", "=", company.id)])
    ]
    Line = env["account.move.line"]
    line_ids = Line.search(
        [
            ("account_id.account_type", "=", "asset_receivable"),
            ("partner_id", "in", list(partner_ids)),
            ("parent_state", "=", "posted"),
            ("date", "<=", date),
            ("company_id", "=", company.id),
        ]
    ).ids
    result = defaultdict(lambda: defaultdict(float))
    for line_id in line_ids:
        line = Line.browse(line_id)
        amount = line.amount_residual
        # undo what was reconciled after the date
        for partial_rec in line.matched_credit_ids:  # this item is the debit
            if partial_rec.max_date > date:
                amount += partial_rec.amount
        for partial_rec in line.matched_debit_ids:  # this item is the credit
            if partial_rec.max_date > date:
                amount -= partial_rec.amount
        if line.company_currency_id.is_zero(amount):
            continue
        days = (date - (line.date_maturity or line.date)).days
        result[line.partner_id.id][bucket_of(buckets, amount, days)] += amount
    return result


def round_half_away(value):
    """PostgreSQL's ROUND(numeric): halves away from zero."""
    half = Fraction(1, 2)
    return int(value + half) if value >= 0 else -int(-value + half)


def figures_by_loop(env, partner_id, aging):
    """The card figures from the aging and loops over invoices and payments."""
    overdue = sum(
        v for key, v in aging.get(partner_id, {}).items() if key[0] == "overdue"
    )
    Move = env["account.move"]
    delays = []
    for move_id in Move.search(
        [
            ("commercial_partner_id", "=", partner_id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("paid", "in_payment")),
            ("company_id", "in", env.companies.ids),
        ]
    ).ids:
        move = Move.browse(move_id)
        paid_on = max(
            (p.max_date for line in move.line_ids for p in line.matched_credit_ids),
            default=None,
        )
        if paid_on:
            delays.append((paid_on - move.invoice_date).days)
    average = round_half_away(Fraction(sum(delays), len(delays))) if delays else 0
    Payment = env["account.payment"]
    last = False
    for payment_id in Payment.search(
        [
            ("partner_id", "=", partner_id),
            ("partner_type", "=", "customer"),
            ("payment_type", "=", "inbound"),
            ("state", "in", ("in_process", "paid")),
        ]
    ).ids:
        day = Payment.browse(payment_id).date
        last = max(last or day, day)
    return overdue, average, last


def history_by_loop(env, partner_id):
    """Per product: quantity, amount, last date, invoices (credit notes count -)."""
    Line = env["account.move.line"]
    totals = {}
    for line_id in Line.search(
        [
            ("partner_id", "=", partner_id),
            ("display_type", "=", "product"),
            ("product_id", "!=", False),
            ("move_id.move_type", "in", ("out_invoice", "out_refund")),
            ("move_id.state", "=", "posted"),
        ]
    ).ids:
        line = Line.browse(line_id)
        move = line.move_id
        sign = -1 if move.move_type == "out_refund" else 1
        qty, amount, last, moves = totals.get(line.product_id.id, (0, 0, None, set()))
        day = move.invoice_date
        totals[line.product_id.id] = (
            qty + sign * line.quantity,
            amount - line.balance,
            max(last or day, day),
            moves | {move.id},
        )
    return {
        product: (qty, amount, last, len(moves))
        for product, (qty, amount, last, moves) in totals.items()
    }


def customer_by_loop(env, partner_id, today):
    aging = aging_by_loop(env, [partner_id], today)
    figures = figures_by_loop(env, partner_id, aging)
    return aging, figures, history_by_loop(env, partner_id)


# ----------------------------------------------------------------------
# Comparisons (to the cent)
# ----------------------------------------------------------------------


def compare_aging(report, loop, what):
    """Both ``{partner: {bucket: amount}}`` agree to the cent, or raise."""
    for partner_id in report.keys() | loop.keys():
        mine, theirs = report.get(partner_id, {}), loop.get(partner_id, {})
        for key in mine.keys() | theirs.keys():
            a, b = mine.get(key, 0.0), theirs.get(key, 0.0)
            if abs(a - b) >= CENT:
                raise Disagreement(
                    f"{what}: customer {partner_id}, bucket {key}: report {a:.2f}, "
                    f"ORM loop {b:.2f}"
                )


def aging_total(cells):
    return sum(v for row in cells.values() for v in row.values())


def compare_customer(report, loop, what):
    aging, figures, history = report
    loop_aging, loop_figures, loop_history = loop
    compare_aging(aging, loop_aging, what)
    overdue, days, last = figures
    if abs(overdue - loop_figures[0]) >= CENT or (days, last) != loop_figures[1:]:
        raise Disagreement(f"{what}: card figures {figures} != {loop_figures}")
    if history.keys() != loop_history.keys():
        raise Disagreement(f"{what}: purchase history products differ")
    for product, (qty, amount, day, count) in history.items():
        qty2, amount2, day2, count2 = loop_history[product]
        if abs(qty - qty2) > 1e-6 or abs(amount - amount2) >= CENT or (
            day, count) != (day2, count2):  # fmt: skip
            raise Disagreement(
                f"{what}: purchase history of product {product}: "
                f"{history[product]} != {loop_history[product]}"
            )


def sql_total(env, date):
    """SUM(balance) of the posted receivable items dated up to ``date``."""
    (total,) = env.execute_query(
        SQL(
            """
            SELECT COALESCE(SUM(line.balance), 0)
              FROM account_move_line line
              JOIN account_account account ON account.id = line.account_id
             WHERE account.account_type = 'asset_receivable'
               AND line.parent_state = 'posted'
               AND line.partner_id IS NOT NULL
               AND line.company_id = %s
               AND line.date <= %s
            """,
            env.company.id,
            date,
        )
    )[0]
    return float(total)


def typical_customer(env, partner_ids):
    """The first customer from number ``TYPICAL`` on with an open item."""
    candidates = partner_ids[TYPICAL - 1 : TYPICAL + 99]
    rows = env.execute_query(
        SQL(
            """
            SELECT DISTINCT line.partner_id
              FROM account_move_line line
              JOIN account_account account ON account.id = line.account_id
             WHERE account.account_type = 'asset_receivable'
               AND line.partner_id = ANY(%s) AND NOT line.reconciled
            """,
            candidates,
        )
    )
    with_open_items = {partner_id for (partner_id,) in rows}
    return next((p for p in candidates if p in with_open_items), candidates[0])


def count_items(env, date, partner_ids=None):
    """Posted receivable items dated up to ``date`` (of some customers)."""
    partner_filter = (
        SQL("AND line.partner_id = ANY(%s)", list(partner_ids))
        if partner_ids
        else SQL("AND line.partner_id IS NOT NULL")
    )
    return env.execute_query(
        SQL(
            """
            SELECT count(*)
              FROM account_move_line line
              JOIN account_account account ON account.id = line.account_id
             WHERE account.account_type = 'asset_receivable'
               AND line.parent_state = 'posted' AND line.date <= %s %s
            """,
            date,
            partner_filter,
        )
    )[0][0]


# ----------------------------------------------------------------------
# XLSX: the writer, and bare xlsxwriter replaying the same calls
# ----------------------------------------------------------------------


class _FormatRef:
    def __init__(self, index):
        self.index = index


class _RecordingSheet:
    def __init__(self, calls):
        self._calls = calls

    def __getattr__(self, method):
        def record(*args):
            formats = [i for i, a in enumerate(args) if isinstance(a, _FormatRef)]
            if formats and formats != [len(args) - 1]:
                raise ValueError(f"{method}: the format is not the last argument")
            if formats:
                self._calls.append((method, args[:-1], args[-1].index))
            else:
                self._calls.append((method, args, None))

        return record


class _RecordingBook:
    """Stands for the writer's workbook: records its formats and cells."""

    def __init__(self):
        self.formats, self.sheets = [], []

    def add_format(self, properties=None):
        self.formats.append(properties or {})
        return _FormatRef(len(self.formats) - 1)

    def add_worksheet(self, name=None):
        calls = []
        self.sheets.append((name, calls))
        return _RecordingSheet(calls)

    def close(self):
        pass


def record_xlsx(env, data):
    """The formats and worksheet calls ``AgingXlsxWriter`` makes for ``data``."""
    writer = render_writer(env, data)
    writer.book.close()
    writer.book = _RecordingBook()
    writer.render()
    recording = writer.book
    # the type-specific calls, as xlsxwriter's own ``write`` would pick them
    for _name, calls in recording.sheets:
        for i, (method, args, fmt) in enumerate(calls):
            if method == "write":
                value = args[2]
                kind = (
                    "write_blank" if value in (None, "")
                    else "write_string" if isinstance(value, str)
                    else "write_number"
                )  # fmt: skip
                calls[i] = (kind, args, fmt)
    return recording


def render_writer(env, data):
    from odoo.addons.crm_parties.report.aging_xlsx import AgingXlsxWriter

    return AgingXlsxWriter(env, data)


def bare_xlsx(recording):
    """The same workbook written by xlsxwriter alone, from recorded values."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    formats = [book.add_format(properties) for properties in recording.formats]
    for name, calls in recording.sheets:
        sheet = book.add_worksheet(name)
        for method, args, fmt in calls:
            if fmt is None:
                getattr(sheet, method)(*args)
            else:
                getattr(sheet, method)(*args, formats[fmt])
    book.close()
    return buffer.getvalue()


def xlsx_cells(content):
    """``{(sheet, cell): (value, style)}`` of a workbook, strings resolved,
    ``None`` for a blank cell."""
    cells = {}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        shared = []
        if "xl/sharedStrings.xml" in names:
            with archive.open("xl/sharedStrings.xml") as stream:
                for _event, item in ElementTree.iterparse(stream):
                    if item.tag == f"{XLSX_NS}si":
                        shared.append("".join(item.itertext()))
                        item.clear()
        for name in sorted(n for n in names if re.match(r"xl/worksheets/sheet\d+", n)):
            with archive.open(name) as stream:
                for _event, cell in ElementTree.iterparse(stream):
                    if cell.tag != f"{XLSX_NS}c":
                        continue
                    value = cell.find(f"{XLSX_NS}v")
                    if value is not None:
                        text = value.text
                        value = (
                            shared[int(text)] if cell.get("t") == "s" else float(text)
                        )
                    # a blank cell (None) counts too, with its format
                    cells[name, cell.get("r")] = (value, cell.get("s"))
                    cell.clear()
    return cells


def xlsx_total(cells, data):
    """The grand total as written on the first sheet's "Total" row."""
    column = xl_col_to_name(3 + len(data["columns"]))
    sheet = "xl/worksheets/sheet1.xml"
    for (name, ref), (value, _style) in cells.items():
        if name == sheet and ref.startswith("A") and value == "Total":
            return cells[sheet, f"{column}{ref[1:]}"][0]
    return None


# ----------------------------------------------------------------------
# Evidence when a goal is missed
# ----------------------------------------------------------------------


def capture_queries(env, func):
    """Run ``func``; return its (query, params, ms) sent to PostgreSQL."""
    captured = []
    cr = env.cr
    original = cr.execute

    def execute(query, params=None, log_exceptions=True):
        start = time.perf_counter()
        try:
            return original(query, params, log_exceptions)
        finally:
            captured.append((query, params, (time.perf_counter() - start) * 1000))

    cr.execute = execute
    try:
        func()
    finally:
        del cr.execute
    return captured


def explain(env, query, params):
    """EXPLAIN (ANALYZE, BUFFERS) lines of one captured query."""
    if isinstance(query, SQL):
        env.cr.execute(SQL("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) %s", query))
    else:
        env.cr.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + query, params)
    return [row[0] for row in env.cr.fetchall()]


def plan_summary(lines, share=0.05):
    """The plan nodes taking at least ``share`` of the time, with their details."""
    total = next(
        (float(line.split(":")[1].split()[0]) for line in lines
         if line.startswith("Execution Time")),
        0.0,
    )  # fmt: skip
    kept, keep = [], True
    for line in lines:
        match = re.search(r"actual time=[\d.]+\.\.([\d.]+) rows=\S+ loops=(\d+)", line)
        if match:
            spent = float(match.group(1)) * int(match.group(2))
            keep = spent >= share * total or line == lines[0]
        elif not line.startswith(" ") or re.match(r"\s*(CTE|InitPlan|SubPlan) ", line):
            kept.append(line)  # top-level lines and subplan headers
            continue
        if keep:
            kept.append(line)
    return kept


def print_evidence(env, func, label, explained, min_ms):
    """Where ``func``'s time goes: SQL against Python, and the slow queries.

    Each query of ``func`` taking ``min_ms`` or more is shown with the summary
    of its ``EXPLAIN (ANALYZE, BUFFERS)``, once per query text (``explained``
    remembers them; then only its time).
    """
    env.invalidate_all()
    start = time.perf_counter()
    queries = capture_queries(env, func)
    total_ms = (time.perf_counter() - start) * 1000
    sql_ms = sum(ms for _query, _params, ms in queries)
    print(f"\n{label}: {total_ms:.0f} ms, of which {sql_ms:.0f} ms in "
          f"{len(queries)} SQL queries and {total_ms - sql_ms:.0f} ms in Python; "
          f"the queries over {min_ms:.0f} ms:")  # fmt: skip
    for query, params, _ms in queries:
        text = query.code if isinstance(query, SQL) else query
        if not text.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        lines = explain(env, query, params)
        execution = float(lines[-1].split(":")[1].split()[0])
        if execution < min_ms:
            continue
        first = " ".join(text.split())[:150]
        if text in explained:
            print(f"-- {execution:.1f} ms: {first}... (plan above)")
            continue
        explained.add(text)
        print(f"\n-- {execution:.1f} ms: {first}...")
        print("\n".join(plan_summary(lines)))


def print_xlsx_profile(env, data):
    """Where the writer spends its time (cProfile, top functions)."""
    profiler = cProfile.Profile()
    profiler.runcall(lambda: render_writer(env, data).render())
    print("\nXLSX missed: the writer's profile (top 12 by own time):")
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("tottime").print_stats(12)


def check_indexes(env):
    """Print whether the indexes the aging relies on exist."""
    rows = env.execute_query(
        SQL(
            "SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s)",
            [name for _table, name in INDEXES],
        )
    )
    present = {name for (name,) in rows}
    for table, name in INDEXES:
        state = "present" if name in present else "MISSING"
        print(f"  index {name} on {table}: {state}")


# ----------------------------------------------------------------------
# The measures
# ----------------------------------------------------------------------


def goal_text(ok, goal):
    return f"{goal}: {'met' if ok else 'MISSED'}"


def measure_all_customers(env, date, goal_ms, label, sample, items):
    """(a) or (b): checks, then the table rows; returns (rows, data, met)."""
    cold = env.invalidate_all
    cold()
    data = report_data(env, date)
    total, check = grand_total(data), sql_total(env, date)
    if abs(total - check) >= CENT:
        raise Disagreement(f"{label}: report total {total:.2f} != SQL sum {check:.2f}")
    cold()
    sample_report = report_cells(report_data(env, date, sample))
    cold()
    start = time.perf_counter()
    sample_loop = aging_by_loop(env, sample, date)
    loop_ms = (time.perf_counter() - start) * 1000
    compare_aging(sample_report, sample_loop, f"{label}, sample")
    report_ms, *where = median_timings(
        partial(report_data, env, date), env.cr, runs=RUNS, setup=cold
    )
    TIMINGS.append((label, report_ms, *where))
    sample_ms = median_ms(
        partial(report_data, env, date, sample), runs=RUNS, setup=cold
    )
    sample_items = count_items(env, date, sample)
    scale = items / sample_items
    met = report_ms <= goal_ms
    rows = [
        (f"{label} (baseline x{scale:.0f}*)", report_ms, loop_ms * scale,
         goal_text(met, f"<= {goal_ms} ms"), f"{total:,.2f} = SQL {check:,.2f}"),
        (f"  sample of {len(sample)} customers ({sample_items} items)", sample_ms,
         loop_ms, "-",
         f"{aging_total(sample_report):,.2f} = {aging_total(sample_loop):,.2f}"),
    ]  # fmt: skip
    print(f"  {label}: {len(data['rows'])} customer rows, peak memory "
          f"{peak_rss_mb():.0f} MB")  # fmt: skip
    return rows, data, met


def accountant_env(env):
    """The environment of an accountant's web request: a Billing user, so
    that its access rights and record rules apply, with the language, time
    zone and companies of its session. Made in the bench's transaction,
    which is rolled back."""
    user = env["res.users"].create(
        {
            "name": "Bench Accountant",
            "login": "bench_accountant",
            "tz": "Europe/Warsaw",
            "company_id": env.company.id,
            "company_ids": [Command.set(env.company.ids)],
            "groups_id": [Command.set([env.ref("account.group_account_invoice").id])],
        }
    )
    context = user.with_user(user).context_get()
    return env(user=user, context={**context, "allowed_company_ids": env.company.ids})


def measure_customer(env, partner_id, user_env=None):
    """(c): checks, then the table row; returns (row, met, timed function).

    As ``user_env``'s user when given, on that user's today (the card's
    figures are as of it: in another time zone, another day for part of
    the day); the ORM loop (the baseline, run once per customer and day) as
    the superuser.
    """
    cold = env.invalidate_all
    today = fields.Date.context_today((user_env or env)["crm.aging.report"])
    name = env["res.partner"].browse(partner_id).name
    label = f"one customer: {name}" + (" as an accountant" if user_env else "")
    mine = partial(customer_view, user_env or env, partner_id, today)
    cold()
    result = mine()
    if (partner_id, today) not in LOOPS:
        cold()
        start = time.perf_counter()
        loop_result = customer_by_loop(env, partner_id, today)
        LOOPS[partner_id, today] = loop_result, (time.perf_counter() - start) * 1000
    loop_result, loop_ms = LOOPS[partner_id, today]
    compare_customer(result, loop_result, label)
    cold()
    queries = query_count(mine)[1]
    report_ms, *where = median_timings(mine, env.cr, runs=RUNS, setup=cold)
    TIMINGS.append((label, report_ms, *where))
    items = count_items(env, today, [partner_id])
    met = report_ms <= 50
    row = (
        f"{label} ({items} items, {queries} queries)", report_ms,
        loop_ms, goal_text(met, "<= 50 ms"),
        f"{aging_total(result[0]):,.2f} = {aging_total(loop_result[0]):,.2f}",
    )  # fmt: skip
    return row, met, mine


def measure_xlsx(env, today, data):
    """(d): same cells, then the table row; returns (row, met)."""
    recording = record_xlsx(env, data)
    cells = xlsx_cells(render_writer(env, data).render())
    if cells != xlsx_cells(bare_xlsx(recording)):
        raise Disagreement("XLSX: the writer and bare xlsxwriter write other cells")
    written = xlsx_total(cells, data)
    if written is None or abs(written - grand_total(data)) >= CENT:
        raise Disagreement(f"XLSX: total {written} != report {grand_total(data)}")
    # The two alternate, so that both see the same minutes of this shared
    # machine; each workbook of the writer is made from fresh report data
    # (untimed), as action_export_xlsx does.
    render_times, bare_times = [], []
    for _run in range(RUNS):
        env.invalidate_all()
        fresh = report_data(env, today)
        start = time.perf_counter()
        render_writer(env, fresh).render()
        render_times.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        bare_xlsx(recording)
        bare_times.append((time.perf_counter() - start) * 1000)
    render_ms, bare_ms = statistics.median(render_times), statistics.median(bare_times)
    met = render_ms <= 1.5 * bare_ms
    row = (
        f"XLSX of all customers ({len(cells)} cells) vs bare xlsxwriter", render_ms,
        bare_ms, goal_text(met, "<= 1.5x bare"), f"same cells, total {written:,.2f}",
    )  # fmt: skip
    return row, met


# ----------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------


def main(config_path, db_name):
    with environment(config_path, db_name) as env:
        start = time.perf_counter()
        info = ensure_receivables(env)
        print(f"data ready in {time.perf_counter() - start:.1f} s, "
              f"peak memory {peak_rss_mb():.0f} MB")  # fmt: skip
        try:
            return run(env, info)
        except Disagreement as error:
            print(f"error: {error}", file=sys.stderr)
            return 1


def run(env, info):
    today = fields.Date.context_today(env["crm.aging.report"])
    past = today - relativedelta(years=PAST_YEARS)
    partner_ids = info["partner_ids"]
    sample = partner_ids[SAMPLE_EVERY - 1 :: SAMPLE_EVERY]
    biggest, typical = partner_ids[0], typical_customer(env, partner_ids)
    items = {date: count_items(env, date) for date in (today, past)}
    print(f"{items[today]} posted receivable items of {len(partner_ids)} customers "
          f"over 4 years; as of {today} and {past}; median of {RUNS} cold-cache "
          "runs, ORM baselines run once")  # fmt: skip
    check_indexes(env)

    rows, missed = [], []
    for date, goal_ms, label in (
        (today, 300, "all customers, today"),
        (past, 1000, f"all customers, {PAST_YEARS} years ago"),
    ):
        new_rows, data, met = measure_all_customers(
            env, date, goal_ms, label, sample, items[date]
        )
        rows += new_rows
        if date == today:
            today_data = data
        if not met:
            missed.append((label, partial(report_data, env, date), 50.0, set()))
    explained = set()  # the customers' queries have the same plans
    accountant = accountant_env(env)
    for partner_id, user_env in (
        (biggest, None),
        (typical, None),
        (biggest, accountant),
    ):
        row, met, func = measure_customer(env, partner_id, user_env)
        rows.append(row)
        if not met:
            missed.append((row[0], func, 5.0, explained))
    History = env["crm.purchase.history"]
    search_then_read_ms = median_ms(
        lambda: History.search([("partner_id", "=", biggest)]).read(HISTORY_FIELDS),
        runs=3,
        setup=env.invalidate_all,
    )
    # as the card shows a holding's purchases: its members' rows together
    group_ids = [biggest, typical, *sample[:3]]
    group_ms = median_ms(
        lambda: History.search_read([("partner_id", "in", group_ids)], HISTORY_FIELDS),
        runs=3,
        setup=env.invalidate_all,
    )
    settled = sum(group["amount"] for group in payment_view(env, biggest)[0])
    settled_loop = settled_by_loop(env, biggest)
    if abs(settled - settled_loop) >= CENT:
        raise Disagreement(f"payments: view {settled:.2f} != ORM {settled_loop:.2f}")
    payments_ms = median_ms(
        partial(payment_view, env, biggest), runs=3, setup=env.invalidate_all
    )
    # the timeline of the card, read by id as its Open button reads an entry;
    # its invoices are those of the bench
    Timeline = env["crm.timeline.event"]
    entry_ids = Timeline.search([("commercial_partner_id", "=", biggest)], limit=80).ids
    timeline_ms = median_ms(
        lambda: Timeline.browse(entry_ids).read(["kind", "name", "res_id"]),
        runs=3,
        setup=env.invalidate_all,
    )
    print(f"  one customer: peak memory {peak_rss_mb():.0f} MB")
    row, xlsx_met = measure_xlsx(env, today, today_data)
    rows.append(row)

    print()
    print_table(
        ["what", "report (ms)", "baseline (ms)", "ratio", "goal", "totals agree"],
        rows,
    )
    print(
        "* extrapolated: the ORM loop's time on the sample times (items of all "
        "customers / items of the sample); the loop itself was not run on all"
    )
    print()
    print(
        "where the wall time went (medians; on a core: this process and its "
        "PostgreSQL backend; waiting: ready to run, no core free; full GC: "
        "Python's full garbage collections, mean per run; machine: the same "
        "fixed work timed before each run, and how much slower than its "
        "fastest in this bench it ran, see _common.reference_ms())"
    )
    width = max(len(what) for what, *_times in TIMINGS)
    fastest = min(reference for *_times, reference in TIMINGS)
    print(f"{'what'.ljust(width)}  wall (ms)  on a core (ms)  waiting (ms)  "
          "full GC (ms)  machine (ms)")  # fmt: skip
    for what, wall, core, wait, collection, reference in TIMINGS:
        slower = reference / fastest
        print(f"{what.ljust(width)}  {wall:9.1f}  {core:14.1f}  {wait:12.1f}  "
              f"{collection:12.1f}  {reference:6.1f} {slower:4.2f}x")  # fmt: skip
    print(f"peak memory (ru_maxrss): {peak_rss_mb():.0f} MB")
    print(
        "note: crm.purchase.history search() then read() of the biggest customer "
        "(rows read by id, as an export of chosen rows reads them) takes "
        f"{search_then_read_ms:.0f} ms; the purchase history of a group of "
        f"{len(group_ids)} customers, the biggest among them, {group_ms:.0f} ms"
    )
    print(
        "note: the biggest customer's payments as its card opens them (grouped "
        f"by delay, then the latest 80 of one group) take {payments_ms:.0f} ms; "
        f"settled {settled:,.2f} = ORM {settled_loop:,.2f}"
    )
    print(
        f"note: the biggest customer's timeline, its first {len(entry_ids)} "
        f"entries read by id (as the Open button reads one): {timeline_ms:.0f} ms"
    )

    for label, func, min_ms, explained in missed:
        print_evidence(env, func, f"{label}: missed", explained, min_ms)
    if not xlsx_met:
        print_xlsx_profile(env, today_data)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
