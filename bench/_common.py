"""Shared helpers of the benchmarks of bench/ (run by ``./crm bench``).

A benchmark prints its numbers side by side with a baseline (the naive way of
getting the same result) and their ratio; it never asserts timings, which
depend on the machine. It may exit non-zero only when the two paths disagree
on *what* they return: a fast wrong answer is not a result.
"""

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
