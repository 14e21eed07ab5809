"""``./crm run``: create or upgrade the database, then serve Odoo."""

import signal
import subprocess
import threading
import time
import urllib.request

from . import addons, config, odoo_source, postgres
from .odoo_process import adapt_version, ensure_port_free, odoo_command

DEFAULT_DB = "crm"


def modules_to_change(params, dbname, manifests):
    """(to install, to upgrade): new addons, and those whose version changed."""
    states = postgres.installed_versions(params, dbname, manifests)
    to_install, to_upgrade = [], []
    for name, manifest in manifests.items():
        state, version = states.get(name, (None, None))
        if state != "installed":
            to_install.append(name)
        elif version != adapt_version(manifest.get("version", "1.0")):
            to_upgrade.append(name)
    return to_install, to_upgrade


def _announce_when_ready(url, process, dbname):
    """Print the URL once the login page answers (the first run installs first)."""
    while process.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/web/login", timeout=5) as response:
                if response.status == 200:
                    print(
                        f"\ncrm: {dbname} is served on {url} - log in as "
                        "admin / admin (Ctrl-C stops it)\n",
                        flush=True,
                    )
                    return
        except OSError:
            pass
        time.sleep(1)


def run(args):
    tree = odoo_source.locate(download=False)
    options = config.read_options()
    port = args.port or int(options.get("http_port") or 8069)
    interface = options.get("http_interface") or "127.0.0.1"
    dbname = args.db or options.get("db_name") or DEFAULT_DB
    if dbname == "False":
        dbname = DEFAULT_DB
    ensure_port_free(port, interface)
    # Only db_name, no dbfilter: with a filter, Odoo lists the databases
    # through a new connection to "postgres" for every request without a
    # session (every PBX request); with db_name alone it serves that one.
    overrides = {"http_port": port, "db_name": dbname, "dbfilter": ""}
    if args.workers is not None:
        overrides["workers"] = args.workers
    if args.workers:
        gevent_port = args.gevent_port or int(options.get("gevent_port") or 8072)
        ensure_port_free(gevent_port, interface, what="gevent port")
        overrides["gevent_port"] = gevent_port
    manifests = addons.discover()

    with postgres.server(options) as params:
        odoo_args = ["-d", dbname]
        if not postgres.database_exists(params, dbname):
            print(
                f"crm: creating the database {dbname} with {', '.join(manifests)} "
                "(a few minutes the first time) ...",
                flush=True,
            )
            odoo_args += ["-i", ",".join(manifests)]
            if args.no_demo:
                odoo_args.append("--without-demo=all")
        else:
            to_install, to_upgrade = modules_to_change(params, dbname, manifests)
            if to_install:
                print(f"crm: installing {', '.join(to_install)} ...", flush=True)
                odoo_args += ["-i", ",".join(to_install)]
            if to_upgrade:
                print(f"crm: upgrading {', '.join(to_upgrade)} ...", flush=True)
                odoo_args += ["-u", ",".join(to_upgrade)]
        effective = config.effective_options(
            options, odoo_source.addons_paths(tree), params, **overrides
        )
        config_path = config.write_config("run", effective)
        process = subprocess.Popen(odoo_command(tree, config_path, *odoo_args))
        # A TERM to the harness stops Odoo the same way Ctrl-C does.
        signal.signal(signal.SIGTERM, lambda *_: process.send_signal(signal.SIGINT))
        url = f"http://localhost:{port}"
        threading.Thread(
            target=_announce_when_ready, args=(url, process, dbname), daemon=True
        ).start()
        try:
            return process.wait()
        except KeyboardInterrupt:
            # The terminal sent SIGINT to Odoo too: wait for its clean stop.
            return process.wait()
