"""A real Odoo server for the ``crm_pbx`` benchmarks (a helper).

``odoo_server(config_path, db_name)`` starts ``odoo-bin`` as ``./crm run
--workers 2`` does (multi-process: two HTTP workers, no cron), on free
ports of 127.0.0.1, with the bench's config and its own log file; it yields
the base URL once ``/web/health`` answers and stops the server (SIGTERM,
the graceful stop) on exit. The log is kept in ``.data/logs``.
"""

import json
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import odoo

REPO = Path(__file__).resolve().parent.parent
LOGS = REPO / ".data" / "logs"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def odoo_server(config_path, db_name, workers=2, log_name="pbx-server"):
    """Yield (base URL, log path) of a running Odoo serving ``db_name``."""
    odoo_bin = Path(odoo.__file__).resolve().parent.parent / "odoo-bin"
    LOGS.mkdir(parents=True, exist_ok=True)
    log_path = LOGS / f"{db_name}-{log_name}.log"
    log_path.unlink(missing_ok=True)
    port, gevent_port = free_port(), free_port()
    command = [
        sys.executable, str(odoo_bin), "-c", str(config_path), "-d", db_name,
        f"--workers={workers}",
        "--max-cron-threads=0", "--http-interface=127.0.0.1",
        f"--http-port={port}", f"--gevent-port={gevent_port}",
        f"--logfile={log_path}", "--log-level=warn",
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"Odoo stopped at start (log: {log_path})")
            try:
                with urllib.request.urlopen(f"{url}/web/health", timeout=5) as answer:
                    if json.load(answer).get("status") == "pass":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"Odoo did not answer in 180 s (log: {log_path})")
            time.sleep(0.5)
        yield url, log_path
    finally:
        process.terminate()
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def log_problems(log_path):
    """The WARNING/ERROR/CRITICAL lines and tracebacks of the server's log."""
    if not log_path.exists():
        return []
    problems = []
    for line in log_path.read_text(errors="replace").splitlines():
        if any(level in line for level in (" WARNING ", " ERROR ", " CRITICAL ")):
            problems.append(line)
        elif line.startswith("Traceback"):
            problems.append(line)
    return problems
