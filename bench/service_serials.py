"""Scanned serial and device history on 1,000,000 serials, against ORM loops.

Asked for by ``crm_service_serial``: at the service desk a scanned serial
must resolve to its device, owner and warranty at once, and the serial's
"Service" page must open quickly, however many devices were sold. On the
data of ``_service_data.py`` (1,000,000 serials, about 200,000 service
cases):

* **scan**: what the intake wizard does when a code arrives, i.e.
  ``crm.service.scan.new({'code': code})`` and its device, owner, warranty
  status and end, and open case (``stock.lot`` found by exact name, then
  ``_device_facts()``). Goal: 5 ms. Baseline: ``search`` by ``ilike`` on
  the name, the owner from Odoo's ``last_delivery_partner_id``, the warranty
  computed in Python by walking the serial's move lines, its sale, invoices
  and order lines, and the open case by looping over its cases.
* **history**: what the serial's form reads for its "Service" page,
  ``web_read`` of the device facts, deliveries and returns, cases, repairs,
  parts replaced and cost total, for a serial with service cases. Goal:
  50 ms. Baseline: the same by reading every move line, case, cost, repair
  and part one record at a time.

Both are called with the context the web client sends (language, time
zone, companies): with a time zone there, "today" reads nothing. The scan
is measured a second time with an empty context ("scan, no tz"), where
"today" reads the user in both paths.

Each figure is over many random serials: percentiles of single runs, each
with a cold ORM cache (PostgreSQL's cache is whatever the machine holds),
the two paths taking turns serial by serial so that they share the load;
with the median number of queries and the median time the addon's path
spends in them (round trips, planning and execution; the rest is Python).
Both paths must give the same answer for every serial, or the script exits
1. Then it prints the ``EXPLAIN ANALYZE`` summary of every query of the two
paths for one serial: the scan nodes, so that an unindexed read shows up.

Usage: ``./crm bench --db crm_bench_service bench/service_serials.py``
"""

import os
import random
import statistics
import sys
import time

from _common import environment, print_table, query_count
from _service_data import DEVICES, SERIAL_FORMAT, SERIALS, ensure_service_data
from dateutil.relativedelta import relativedelta

import odoo
from odoo.tools import SQL

SCANS = 200
HISTORIES = 200
SCAN_GOAL_MS, HISTORY_GOAL_MS = 5, 50
OPEN_STATES = ("new", "diagnosed", "in_repair", "waiting_parts", "waiting_customer")
NAME = {"fields": {"display_name": {}}}
# What the "Service" page of the serial's form reads (views/stock_lot_views.xml).
HISTORY_SPEC = {
    "service_case_count": {},
    "crm_owner_id": NAME,
    "crm_sale_order_id": NAME,
    "crm_delivery_date": {},
    "crm_invoice_date": {},
    "warranty_status": {},
    "warranty_start_date": {},
    "warranty_end_date": {},
    "warranty_extended_end_date": {},
    "warranty_start_manual": {},
    "warranty_end_manual": {},
    "crm_ownership_ids": {
        "fields": {
            "date": {},
            "reference": {},
            "picking_partner_id": NAME,
            "location_id": NAME,
            "location_dest_id": NAME,
        }
    },
    "service_case_ids": {
        "fields": {
            "name": {},
            "date_open": {},
            "case_type": {},
            "partner_id": NAME,
            "warranty_status": {},
            "cost_total": {},
            "state": {},
        }
    },
    "repair_ids": {
        "fields": {
            "name": {},
            "schedule_date": {},
            "partner_id": NAME,
            "under_warranty": {},
            "state": {},
        }
    },
    "repair_part_ids": {
        "fields": {"date": {}, "product_id": NAME, "quantity": {}, "repair_id": NAME}
    },
    "company_currency_id": {},
    "service_cost_total": {},
}


# ----------------------------------------------------------------------
# Scan: the wizard against an ORM loop
# ----------------------------------------------------------------------


def scan(env, code):
    """The intake wizard's answer to a scanned code."""
    wizard = env["crm.service.scan"].new({"code": code})
    return (
        wizard.lot_id._origin.id,
        wizard.owner_id._origin.id,
        wizard.warranty_status,
        wizard.warranty_end_date,
        wizard.open_case_id._origin.id,
    )


def warranty_by_loop(env, lot, on_date):
    """The serial's warranty in Python, from its records read one by one.

    Returns (delivery date, sale order, invoice date, start, end, extended
    end, status) by the rules of the product (as ``_warranty_dates``).
    """
    MoveLine = env["stock.move.line"]
    delivery = sale_line = None
    for line_id in MoveLine.search(
        [("lot_id", "=", lot.id), ("state", "=", "done")], order="date, id"
    ).ids:
        line = MoveLine.browse(line_id)
        to_customer = line.location_dest_id.usage == "customer"
        if to_customer and line.location_id.usage != "customer" and not delivery:
            delivery = line.date.date()
            sale_line = line.move_id.sale_line_id
    invoice_date = None
    for invoice_line in sale_line.invoice_lines if sale_line else []:
        invoice = invoice_line.move_id
        if invoice.state == "posted" and invoice.move_type == "out_invoice":
            date = invoice.invoice_date
            invoice_date = min(invoice_date or date, date)
    template = lot.product_id.product_tmpl_id
    if template.warranty_start == "invoice":
        start = invoice_date or delivery
    else:
        start = delivery or invoice_date
    start = lot.warranty_start_manual or start
    end = (
        start
        and template.warranty_months
        and (start + relativedelta(months=template.warranty_months, days=-1))
    )
    end = lot.warranty_end_manual or end or False
    extra = 0
    order = sale_line.order_id if sale_line else None
    for line in order.order_line if order else []:
        warranty = line.product_id.product_tmpl_id
        covered = warranty.extended_warranty_product_ids
        if (warranty.is_extended_warranty and line.product_uom_qty > 0
                and (not covered or template in covered)):  # fmt: skip
            extra += warranty.extended_warranty_months
    extended = end + relativedelta(months=extra) if end and extra else False
    if not start or not end or on_date < start:
        status = "unknown"
    elif on_date <= end:
        status = "in_warranty"
    elif extended and on_date <= extended:
        status = "extended"
    else:
        status = "out_of_warranty"
    return delivery, order, invoice_date, start, end, extended, status


def scan_by_loop(env, code):
    """The same answer by a substring search and Python loops."""
    lots = env["stock.lot"].search([("name", "ilike", code)])
    lot = lots.filtered(lambda lot: lot.name == code)
    owner = lot.last_delivery_partner_id
    today = odoo.fields.Date.context_today(lot)
    *_, end, _extended, status = warranty_by_loop(env, lot, today)
    Case = env["crm.service.case"]
    open_case = Case
    for case_id in Case.search([("lot_id", "=", lot.id)]).ids:
        if Case.browse(case_id).state in OPEN_STATES:
            open_case = Case.browse(case_id)
            break
    return lot.id, owner.id, status, end, open_case.id


# ----------------------------------------------------------------------
# History: the "Service" page against one-by-one reads
# ----------------------------------------------------------------------


def history(env, lot_id):
    """What the form's "Service" page reads, as the web client asks it."""
    (values,) = env["stock.lot"].browse(lot_id).web_read(HISTORY_SPEC)
    return (
        values["crm_owner_id"] and values["crm_owner_id"]["id"],
        values["crm_sale_order_id"] and values["crm_sale_order_id"]["id"],
        values["warranty_status"],
        values["warranty_end_date"],
        sorted(row["id"] for row in values["crm_ownership_ids"]),
        sorted(row["id"] for row in values["service_case_ids"]),
        sorted(row["id"] for row in values["repair_ids"]),
        sorted(row["id"] for row in values["repair_part_ids"]),
        round(values["service_cost_total"], 2),
    )


def history_by_loop(env, lot_id):
    """The same by reading every record of the serial one at a time."""
    lot = env["stock.lot"].browse(lot_id)
    owner = lot.last_delivery_partner_id
    _delivery, order, *_, end, _extended, status = warranty_by_loop(
        env, lot, odoo.fields.Date.context_today(lot)
    )
    MoveLine = env["stock.move.line"]
    ownership, shown = [], []  # shown: what the page displays of each record
    for line_id in MoveLine.search(
        [("lot_id", "=", lot_id), ("state", "=", "done")], order="date, id"
    ).ids:
        line = MoveLine.browse(line_id)
        if (line.location_id.usage == "customer") != (
            line.location_dest_id.usage == "customer"
        ):
            ownership.append(line.id)
            partner = line.picking_partner_id
            source, dest = line.location_id, line.location_dest_id
            shown.append((line.date, line.reference, partner.display_name,
                          source.display_name, dest.display_name))  # fmt: skip
    Case, Cost = env["crm.service.case"], env["crm.service.cost"]
    cases, total = [], 0.0
    for case_id in Case.search([("lot_id", "=", lot_id)]).ids:
        case = Case.browse(case_id)
        cases.append(case.id)
        shown.append((case.name, case.date_open, case.case_type,
                      case.partner_id.display_name, case.warranty_status,
                      case.state))  # fmt: skip
        for cost_id in case.cost_ids.ids:
            total += Cost.browse(cost_id).amount
    Repair, Move = env["repair.order"], env["stock.move"]
    repairs, parts = [], []
    for repair_id in Repair.search([("lot_id", "=", lot_id)]).ids:
        repair = Repair.browse(repair_id)
        repairs.append(repair.id)
        shown.append((repair.name, repair.schedule_date,
                      repair.partner_id.display_name, repair.under_warranty,
                      repair.state))  # fmt: skip
        for move_id in Move.search([("repair_id", "=", repair_id)]).ids:
            move = Move.browse(move_id)
            if move.repair_line_type == "add" and move.state == "done":
                parts.append(move.id)
                shown.append((move.date, move.product_id.display_name, move.quantity))
    return (
        owner.id,
        order.id if order else False,
        status,
        end,
        sorted(ownership),
        sorted(cases),
        sorted(repairs),
        sorted(parts),
        round(total, 2),
    )


# ----------------------------------------------------------------------
# Measures
# ----------------------------------------------------------------------


def sample(env, rng):
    """Random serials to scan, and random serviced serials (lot ids)."""
    codes = []
    for n in rng.sample(range(1, SERIALS + 1), SCANS):
        product = DEVICES[((n - 1) // 4) % len(DEVICES)][0]
        codes.append(SERIAL_FORMAT % (product, n))
    env.cr.execute(
        "SELECT DISTINCT lot_id FROM crm_service_case WHERE name LIKE 'SRV/B/%' "
        "ORDER BY lot_id"
    )
    serviced = [row[0] for row in env.cr.fetchall()]
    return codes, rng.sample(serviced, HISTORIES)


def percentiles(durations):
    cuts = statistics.quantiles(durations, n=100, method="inclusive")
    return statistics.median(durations), cuts[94], cuts[98]


def measure(env, func, args):
    """Run ``func(env, arg)`` for each arg, cold ORM cache each time.

    Returns (results, durations in ms, median query count, median ms spent
    in the cursor's ``execute``: round trips, planning and execution).
    """
    results, durations, counts, sql_ms = [], [], [], []
    for arg in args:
        env.invalidate_all()
        with QueryRecorder() as recorder:
            start = time.perf_counter()
            result, count = query_count(lambda arg=arg: func(env, arg))
            durations.append((time.perf_counter() - start) * 1000)
        results.append(result)
        counts.append(count)
        sql_ms.append(recorder.seconds * 1000)
    return results, durations, statistics.median(counts), statistics.median(sql_ms)


def merge(runs):
    """Join the results of ``measure`` calls on one serial each."""
    results = [r for run in runs for r in run[0]]
    durations = [d for run in runs for d in run[1]]
    queries = statistics.median(run[2] for run in runs)
    sql_ms = statistics.median(run[3] for run in runs)
    return results, durations, queries, sql_ms


class QueryRecorder:
    """Record the queries run by Odoo's cursor and the time spent in them."""

    def __init__(self):
        self.queries = []
        self.seconds = 0.0
        self._execute = odoo.sql_db.Cursor.execute

    def __enter__(self):
        recorder = self

        def execute(cursor, query, params=None, log_exceptions=True):
            if isinstance(query, SQL):
                query, params = query.code, query.params
            recorder.queries.append((query, params))
            start = time.perf_counter()
            try:
                return recorder._execute(cursor, query, params, log_exceptions)
            finally:
                recorder.seconds += time.perf_counter() - start

        odoo.sql_db.Cursor.execute = execute
        return self

    def __exit__(self, *exc):
        odoo.sql_db.Cursor.execute = self._execute


def explain(env, label, func, arg):
    """The plan summary of each SELECT of ``func(env, arg)`` (cold cache)."""
    env.invalidate_all()
    with QueryRecorder() as recorder:
        func(env, arg)
    print(f"\n{label}: {len(recorder.queries)} queries")
    for query, params in recorder.queries:
        text = " ".join(query.split())
        if not text.upper().startswith(("SELECT", "WITH")):
            continue
        env.cr.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {query}", params)
        plan = [row[0] for row in env.cr.fetchall()]
        times = {
            line.split(":")[0]: line.split(": ")[1]
            for line in plan
            if line.startswith(("Planning Time", "Execution Time"))
        }
        scans = [
            line.strip().removeprefix("->  ")
            for line in plan
            if "Scan" in line and "Subquery Scan" not in line
        ]
        print(f"- {text[:110]}{'...' if len(text) > 110 else ''}")
        nodes = "; ".join(scan.split(" (actual")[0] for scan in scans)
        planning, running = times.get("Planning Time"), times.get("Execution Time")
        print(f"    plan {planning}, run {running}: {nodes or 'no table read'}")


def web_context(env):
    """The context the web client sends with every call: the user's
    language, time zone and companies. With a ``tz`` in it, "today" needs no
    read of the user (``fields.Date.context_today``), as in the browser."""
    user = env.user
    return {
        "lang": user.lang or "en_US",
        "tz": user.tz or "UTC",
        "uid": user.id,
        "allowed_company_ids": [user.company_id.id],
    }


def main(config_path, db_name):
    with environment(config_path, db_name) as bare_env:
        env = bare_env(context=web_context(bare_env))
        start = time.perf_counter()
        info = ensure_service_data(env)
        made = "made" if info["made"] else "found"
        print(f"data {made}: {info['serials']} serials, "
              f"{time.perf_counter() - start:.1f} s")  # fmt: skip
        load = os.getloadavg()[0]
        rng = random.Random(2026)
        codes, lot_ids = sample(env, rng)
        # The last check is the scan called with an empty context (no tz):
        # "today" then reads the user (two queries) in both paths.
        checks = [
            ("scan", env, scan, scan_by_loop, codes, SCAN_GOAL_MS),
            ("history", env, history, history_by_loop, lot_ids, HISTORY_GOAL_MS),
            ("scan, no tz", bare_env, scan, scan_by_loop, codes, None),
        ]
        rows, misses, results = [], [], {}
        for name, check_env, fast, slow, args, goal in checks:
            measure(check_env, fast, args[:20])  # warm ormcaches and PostgreSQL
            measure(check_env, slow, args[:20])
            # Interleaved, serial by serial, so both share the machine's load.
            fast_runs, slow_runs = [], []
            for arg in args:
                fast_runs.append(measure(check_env, fast, [arg]))
                slow_runs.append(measure(check_env, slow, [arg]))
            fast_results, fast_ms, fast_queries, fast_sql = merge(fast_runs)
            slow_results, slow_ms, slow_queries, _sql = merge(slow_runs)
            results[name] = slow_results
            for arg, a, b in zip(args, fast_results, slow_results, strict=True):
                if a != b or not a[0]:
                    print(f"error: {name} of {arg}: the addon and the loop "
                          f"disagree:\n  {a}\n  {b}", file=sys.stderr)  # fmt: skip
                    return 1
            fast_p, slow_p = percentiles(fast_ms), percentiles(slow_ms)
            for label, fast_v, slow_v in zip(("p50", "p95", "p99"), fast_p, slow_p,
                                             strict=True):  # fmt: skip
                first = label == "p50"
                queries = f"{fast_queries:.0f} / {slow_queries:.0f}" if first else ""
                sql = f"{fast_sql:.1f}" if first else ""
                goal_text = (f"{goal} ms" if goal else "-") if first else ""
                rows.append(
                    (f"{name} {label}", fast_v, slow_v, queries, sql, goal_text)
                )
            if goal and fast_p[0] > goal:
                misses.append(
                    f"{name}: p50 {fast_p[0]:.1f} ms > {goal} ms, of which "
                    f"{fast_sql:.1f} ms in its {fast_queries:.0f} queries (median)"
                )
        with_repairs = sum(1 for r in results["history"] if r[6])
        print(f"{len(codes)} random scans of {info['serials']} serials; "
              f"{len(lot_ids)} histories of random serviced serials "
              f"({with_repairs} with repairs); one cold-cache run each, in the "
              f"web client's context (tz {env.context['tz']}) unless said; "
              f"load {load:.2f} to {os.getloadavg()[0]:.2f} on {os.cpu_count()} "
              "cores")  # fmt: skip
        print_table(
            ["what", "addon (ms)", "ORM loop (ms)", "ratio",
             "queries (addon / loop)", "addon in SQL (ms)", "goal (p50)"],
            rows,
        )  # fmt: skip
        for miss in misses:
            print(f"goal missed: {miss}")
        explain(env, f"scan of {codes[0]}", scan, codes[0])
        explain(env, f"history of lot {lot_ids[0]}", history, lot_ids[0])
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
