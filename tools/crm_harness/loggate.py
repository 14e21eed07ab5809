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

    A record is its line and its continuation lines (a traceback, a
    program's output); an allow-list pattern is searched in the whole record.
    """
    records, current = [], None
    for line in log_text.splitlines():
        match = ODOO_LINE.match(line)
        if match:
            current = [line] if match.group("level") in BAD_LEVELS else None
            if current is not None:
                records.append(current)
        elif current is not None:
            current.append(line)
    return [
        text
        for text in ("\n".join(record) for record in records)
        if not any(pattern.search(text) for pattern, _reason in allowlist)
    ]
