"""Every failure of ./crm ends with one clear line and a non-zero exit."""

import socket
import stat

from crm_harness.odoo_process import free_port


def _last_line(result):
    return result.stderr.strip().splitlines()[-1]


def test_unsupported_python_is_refused(crm, tmp_path):
    fake = tmp_path / "python3.13"
    fake.write_text(
        '#!/bin/sh\nif [ "$1" = -c ] && echo "$2" | grep -q exit; then exit 1; fi\n'
        "echo 3.13\n"
    )
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    result = crm("setup", env={"PYTHON": str(fake)})
    assert result.returncode == 2
    assert _last_line(result) == (
        f"crm: Python 3.13 ({fake}) is not supported; Odoo 18.0 needs Python "
        "3.10, 3.11 or 3.12 (set PYTHON=/path/to/python3.x)."
    )


def test_odoo_src_that_is_not_odoo_18_is_refused(crm, tmp_path):
    (tmp_path / "odoo").mkdir()
    (tmp_path / "odoo-bin").write_text("")
    (tmp_path / "odoo" / "release.py").write_text(
        "version_info = (17, 0, 0, 'final', 0, '')\n"
    )
    result = crm("setup", env={"ODOO_SRC": str(tmp_path)})
    assert result.returncode == 1
    assert _last_line(result).startswith(
        f"crm: ODOO_SRC points to {tmp_path}, which is not an Odoo 18.0 source tree"
    )


def test_port_already_taken_is_refused(crm):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = crm("run", "--port", str(port))
    assert result.returncode == 1
    assert _last_line(result).startswith(f"crm: port {port} is already in use")


def test_configured_postgres_refusing_the_connection_is_reported(crm):
    closed_port = free_port()
    result = crm(
        "run",
        "--port",
        str(free_port()),
        env={"PGHOST": "127.0.0.1", "PGPORT": str(closed_port)},
    )
    assert result.returncode == 1
    assert _last_line(result).startswith(
        f"crm: the PostgreSQL server at 127.0.0.1:{closed_port} refuses the connection"
    )


def test_unknown_addon_to_test_is_refused(crm):
    result = crm("test", "--only", "crm_no_such_addon")
    assert result.returncode == 1
    assert "no addon named crm_no_such_addon under addons/" in _last_line(result)
