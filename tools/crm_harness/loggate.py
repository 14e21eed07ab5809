"""The log gate: Odoo must log no WARNING, ERROR or CRITICAL line.

As the OCA's CI does, a warning is a bug until proven otherwise. Lines that
are tolerated anyway are listed in ``tests/log_allowlist.txt``, each with the
reason why.
"""

import re

from . import REPO, HarnessError

ALLOWLIST = REPO / "tests" / "log_allowlist.txt"
ODOO_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z]+) ")
BAD_LEVELS = {"WARNING", "ERROR", "CRITICAL"}


def load_allowlist(path=ALLOWLIST):
    """``[(pattern, reason)]`` from ``regex  ## reason`` lines."""
    entries = []
    if not path.exists():
        return entries
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        pattern, _sep, reason = line.partition(" ## ")
        if not reason.strip():
            raise HarnessError(
                f"{path.name}:{number}: an allowed log line needs "
                "a reason after ' ## '."
            )
        entries.append((re.compile(pattern.strip()), reason.strip()))
    return entries


def offending_lines(log_text, allowlist):
    """The WARNING/ERROR/CRITICAL records of an Odoo log that are not allowed.

    Each record is returned with its continuation lines (a traceback).
    """
    offending, current = [], None
    for line in log_text.splitlines():
        match = ODOO_LINE.match(line)
        if match:
            current = None
            if match.group("level") in BAD_LEVELS and not any(
                pattern.search(line) for pattern, _reason in allowlist
            ):
                current = [line]
                offending.append(current)
        elif current is not None:
            current.append(line)
    return ["\n".join(record) for record in offending]
