"""Shared helpers of the benchmarks of bench/ (run by ``./crm bench``).

A benchmark prints its numbers side by side with a baseline (the naive way of
getting the same result) and their ratio; it never asserts timings, which
depend on the machine. It may exit non-zero only when the two paths disagree
on *what* they return: a fast wrong answer is not a result.
"""

import gc
import os
import resource
import statistics
import time
from contextlib import contextmanager

import odoo
from odoo import sql_db
from odoo.modules.registry import Registry


@contextmanager
def environment(config_path, db_name):
    """Yield a superuser environment on ``db_name``; the caller commits.

    Data generation commits explicitly (``env.cr.commit()``) so that it is
    kept for the next run; anything else is rolled back on exit.
    """
    odoo.tools.config.parse_config(["-c", config_path, "-d", db_name])
    registry = Registry(db_name)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        try:
            yield env
        finally:
            cr.rollback()


def median_ms(func, runs=7, setup=None):
    """Run ``func`` ``runs`` times; return the median duration in ms.

    ``setup`` (e.g. cache invalidation) runs before each call, untimed: the
    median of cold-cache runs is what a user opening the page waits for.
    """
    durations = []
    for _ in range(runs):
        if setup:
            setup()
        start = time.perf_counter()
        func()
        durations.append((time.perf_counter() - start) * 1000)
    return statistics.median(durations)


def _scheduler_ms(pid):
    """(ms on a core, ms ready to run but waiting for one) of a process so
    far, from the kernel's scheduler statistics (nanoseconds)."""
    with open(f"/proc/{pid}/schedstat") as stat:
        on_core, waiting, _slices = stat.read().split()
    return int(on_core) / 1e6, int(waiting) / 1e6


def reference_ms(cr):
    """How fast this machine runs at the moment: the wall time (ms) of the
    same small piece of work each time, part of it in Python, part in
    ``cr``'s PostgreSQL backend (sorting 10,000 rows).

    A shared machine's speed changes from one second to the next, and both
    processes slow down together: a figure timed while the reference was
    slow was measured on a slower machine, not with slower code.
    """
    start = time.perf_counter()
    total = 0
    for number in range(50_000):
        total += number * number
    cr.execute(
        "SELECT COUNT(*) FROM (SELECT g % 30, g FROM generate_series(1, 10000) g"
        " ORDER BY 1, 2 OFFSET 0) AS sorted"
    )
    cr.fetchall()
    return (time.perf_counter() - start) * 1000


def median_timings(func, cr, runs=7, setup=None):
    """Like ``median_ms``, with where the time went: the medians of the wall
    time, of the time on a core of this process and of ``cr``'s PostgreSQL
    backend (the server runs on this machine), of the time both were ready
    to run but waited for a core, which is what the other tenants of a
    shared machine add to the wall time; the mean time of the full garbage
    collections of this process per run; and the median ``reference_ms()``,
    timed before each run."""
    cr.execute("SELECT pg_backend_pid()")
    pids = (os.getpid(), cr.fetchone()[0])
    full_collections = []  # ms of each full garbage collection of the run
    started = 0.0

    def on_collection(phase, info):
        nonlocal started
        if info["generation"] != 2:
            return
        if phase == "start":
            started = time.perf_counter()
        else:
            full_collections.append((time.perf_counter() - started) * 1000)

    walls, cores, waits, collections, references = [], [], [], [], []
    gc.callbacks.append(on_collection)
    try:
        for _ in range(runs):
            if setup:
                setup()
            references.append(reference_ms(cr))
            full_collections.clear()
            before = [_scheduler_ms(pid) for pid in pids]
            start = time.perf_counter()
            func()
            walls.append((time.perf_counter() - start) * 1000)
            after = [_scheduler_ms(pid) for pid in pids]
            cores.append(sum(a[0] - b[0] for a, b in zip(after, before, strict=True)))
            waits.append(sum(a[1] - b[1] for a, b in zip(after, before, strict=True)))
            collections.append(sum(full_collections))
    finally:
        gc.callbacks.remove(on_collection)
    walls, cores, waits = (statistics.median(v) for v in (walls, cores, waits))
    return (
        walls,
        cores,
        waits,
        statistics.mean(collections),
        statistics.median(references),
    )


def peak_rss_mb():
    """Peak resident memory of this process so far, in MB (``ru_maxrss``)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def query_count(func):
    """Run ``func`` once; return its result and the number of SQL queries."""
    before = sql_db.sql_counter
    result = func()
    return result, sql_db.sql_counter - before


def print_table(headers, rows):
    """Print rows ``(name, value, baseline, *extra)`` as an aligned table.

    A ratio column (``baseline / value``: how many times faster than the
    baseline) is inserted after the baseline, so ``headers`` name every column
    including it. Floats print with one decimal; figures are right-aligned.
    """
    cells = [list(headers)]
    for name, value, baseline, *extra in rows:
        ratio = f"{baseline / value:.1f}x" if value else "-"
        cells.append([name, value, baseline, ratio, *extra])
    cells = [[f"{v:.1f}" if isinstance(v, float) else str(v) for v in r] for r in cells]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def line(row):
        first, *rest = row
        rest = [v.rjust(w) for v, w in zip(rest, widths[1:], strict=True)]
        return "  ".join([first.ljust(widths[0]), *rest])

    print(line(cells[0]))
    print("  ".join("-" * w for w in widths))
    for row in cells[1:]:
        print(line(row))
