"""The log gate of ./crm test: warnings fail the run unless allowed with a reason."""

import re

import pytest
from crm_harness import HarnessError, loggate

LOG = """\
2026-11-22 10:00:00,001 42 INFO db odoo.modules.loading: loading 1 modules...
2026-11-22 10:00:00,002 42 WARNING db odoo.models: a field has no string
2026-11-22 10:00:00,003 42 ERROR db odoo.sql_db: bad query
Traceback (most recent call last):
  File "x.py", line 1
psycopg2.errors.SyntaxError: oops
2026-11-22 10:00:00,004 42 INFO db odoo.modules.loading: done
"""


def test_warning_and_error_records_are_reported_with_their_traceback():
    bad = loggate.offending_lines(LOG, [])
    assert len(bad) == 2
    assert bad[0].endswith("a field has no string")
    assert bad[1].splitlines()[-1] == "psycopg2.errors.SyntaxError: oops"


def test_allowed_lines_pass():
    allow = [(re.compile(r"odoo\.models: a field has no string"), "known")]
    bad = loggate.offending_lines(LOG, allow)
    assert [record.splitlines()[0][-9:] for record in bad] == ["bad query"]


def test_allowlist_entry_needs_a_reason(tmp_path):
    allowlist = tmp_path / "allow.txt"
    allowlist.write_text(
        "# comment\nodoo\\.models: x ## inherited from Odoo\nno reason\n"
    )
    with pytest.raises(
        HarnessError, match=r"allow.txt:3: an allowed log line needs a reason"
    ):
        loggate.load_allowlist(allowlist)
    allowlist.write_text("odoo\\.models: x ## inherited from Odoo\n")
    assert loggate.load_allowlist(allowlist)[0][1] == "inherited from Odoo"


def test_the_repository_allowlist_is_valid():
    for _pattern, reason in loggate.load_allowlist():
        assert reason
