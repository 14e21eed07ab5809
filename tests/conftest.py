"""Helpers for the suite-level tests of the harness (./crm itself)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))


def run_crm(*args, env=None, timeout=120):
    """Run ./crm as a user would and return the CompletedProcess."""
    return subprocess.run(
        [str(REPO / "crm"), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        check=False,
    )


@pytest.fixture
def crm():
    return run_crm


@pytest.fixture
def test_database():
    """The database ./crm test installed every addon into."""
    name = os.environ.get("CRM_TEST_DATABASE")
    if not name:
        pytest.fail("run these tests through ./crm test (CRM_TEST_DATABASE unset)")
    return name
