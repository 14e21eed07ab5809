"""./crm run serves Odoo's login page over HTTP and stops cleanly on Ctrl-C."""

import os
import signal
import subprocess
import threading
import time
import urllib.request

import pytest
from crm_harness.odoo_process import free_port

from conftest import REPO


def _wait_for_login_page(url, process, timeout=180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.status, response.read().decode()
        except OSError:
            time.sleep(1)
    raise AssertionError(f"no login page at {url} (exit code {process.poll()})")


@pytest.mark.parametrize("workers", [0, 2])
def test_run_serves_the_login_page_and_stops_on_ctrl_c(test_database, workers):
    port = free_port()
    extra = (
        ["--workers", str(workers), "--gevent-port", str(free_port())]
        if workers
        else []
    )
    process = subprocess.Popen(
        [str(REPO / "crm"), "run", "--port", str(port), "--db", test_database, *extra],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout))
    reader.start()
    announcement = f"{test_database} is served on http://localhost:{port}"
    try:
        status, page = _wait_for_login_page(
            f"http://127.0.0.1:{port}/web/login", process
        )
        assert status == 200
        assert 'name="login"' in page and 'name="password"' in page
        # ./crm announces the URL from its own request to the login page,
        # which a busy machine may answer after ours
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(
            announcement in line for line in lines
        ):
            time.sleep(0.5)
    finally:
        # Ctrl-C in a terminal signals the whole process group.
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=60)
        reader.join(timeout=10)
    output = "".join(lines)
    assert process.returncode == 0, output
    assert announcement in output
