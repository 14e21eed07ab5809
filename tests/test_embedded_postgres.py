"""The embedded PostgreSQL: starts, serves the odoo role, survives a crash."""

import contextlib
import os
import signal
import time

import psycopg2
import pytest
from crm_harness import postgres


@pytest.fixture
def server(tmp_path):
    embedded = postgres.EmbeddedServer(tmp_path / "pg")
    yield embedded
    embedded.stop()


def _query(params, query):
    with contextlib.closing(postgres.connect(params)) as conn, conn.cursor() as cr:
        cr.execute(query)
        return cr.fetchall() if cr.description else None


def _wait_until_gone(pid):
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    raise AssertionError(f"postgres {pid} did not stop")


def test_odoo_role_can_create_databases_and_is_not_superuser(server):
    server.start()
    assert server.started_here
    (role,) = _query(
        server.params(),
        "SELECT rolcreatedb, rolsuper FROM pg_roles " "WHERE rolname = current_user",
    )
    assert role == (True, False)


def test_lock_left_by_a_crash_is_recovered_and_data_kept(server, capsys):
    server.start()
    _query(
        server.params("postgres"),
        "CREATE TABLE kept (x int); INSERT INTO kept VALUES (7)",
    )
    pidfile = server.pgdata / "postmaster.pid"
    pid = int(pidfile.read_text().split()[0])
    os.kill(pid, signal.SIGKILL)
    _wait_until_gone(pid)
    server._users_lock.close()
    server._users_lock = None
    # The crashed server's lock names a PID now used by another program.
    lines = pidfile.read_text().splitlines()
    pidfile.write_text("\n".join([str(os.getpid()), *lines[1:]]) + "\n")

    again = postgres.EmbeddedServer(server.data_dir).start()
    try:
        assert again.started_here
        assert "recovered the PostgreSQL data folder" in capsys.readouterr().out
        assert _query(again.params("postgres"), "SELECT x FROM kept") == [(7,)]
    finally:
        # the fixture's server gave its lock up with the crash
        again.stop()


def test_server_stops_with_its_last_user_only(server):
    server.start()
    second = postgres.EmbeddedServer(server.data_dir).start()
    assert not second.started_here
    server.stop()
    assert _query(second.params(), "SELECT 1") == [(1,)]
    second.stop()
    assert not (server.pgdata / "postmaster.pid").exists()


def test_configured_server_needs_a_host_port_or_user():
    assert postgres.configured_params({"db_host": "False"}) is None
    params = postgres.configured_params({"db_host": "db.example", "db_port": "5433"})
    assert params.psycopg2_kwargs("crm") == {
        "dbname": "crm",
        "host": "db.example",
        "port": "5433",
    }


def test_refused_connection_is_a_clear_error():
    params = postgres.ConnectionParams(db_host="127.0.0.1", db_port="1")
    with pytest.raises(Exception, match="refuses the connection") as info:
        postgres.connect(params)
    assert isinstance(info.value.__cause__, psycopg2.OperationalError)
