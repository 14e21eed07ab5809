"""The suite's harness: ``./crm setup``, ``./crm run`` and ``./crm test``.

Every failure the user can fix is raised as :class:`HarnessError`; the CLI
prints its message as one line and exits non-zero.
"""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
VENV = REPO / ".venv"
DATA = REPO / ".data"
CACHE = REPO / ".cache"


class HarnessError(Exception):
    """A failure with a message that says what is wrong and what to do."""

    exit_code = 1
