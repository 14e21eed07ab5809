"""``./crm test``: lint, install each addon alone, then every test on a fresh DB.

Order matters for CI: pytest runs last, so its summary is the closing line.
Only the throwaway databases this command creates are ever dropped.
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from . import (
    DATA,
    REPO,
    VENV,
    HarnessError,
    addons,
    config,
    loggate,
    odoo_source,
    postgres,
)
from .odoo_process import odoo_command
from .system_packages import ensure_browser, ensure_file, ensure_program

LOGS = DATA / "logs"
# Kamailio's http_client module (Debian: kamailio-utils-modules), wherever
# the architecture puts Kamailio's modules
KAMAILIO_HTTP_CLIENT = (
    "/usr/lib/*/kamailio/modules/http_client.so",
    "/usr/lib/kamailio/modules/http_client.so",
)


def lint():
    if not (REPO / ".git").exists():
        print("crm: not a git checkout, lint skipped (pre-commit needs git).")
        return
    print("crm: lint (pre-commit: ruff, ruff format, pylint-odoo) ...", flush=True)
    env = dict(
        os.environ,
        PATH=f"{VENV / 'bin'}{os.pathsep}{os.environ['PATH']}",
        PRE_COMMIT_HOME=str(REPO / ".cache" / "pre-commit"),
    )
    result = subprocess.run(
        [
            str(VENV / "bin" / "pre-commit"),
            "run",
            "--all-files",
            "--show-diff-on-failure",
        ],
        cwd=REPO,
        env=env,
        check=False,
    )
    if result.returncode:
        raise HarnessError(
            "lint failed (see above); fix it, or run "
            "`.venv/bin/ruff format .` for formatting."
        )


def _check_log(log_path, what, allowlist):
    bad = loggate.offending_lines(log_path.read_text(errors="replace"), allowlist)
    if bad:
        # a record can hold a whole SQL query: its first lines say enough
        shown = [
            record if len(record) < 1500 else record[:1500] + " [...]"
            for record in bad[:10]
        ]
        print("\n".join(shown), file=sys.stderr)
        raise HarnessError(
            f"the log gate found {len(bad)} WARNING/ERROR line(s) while {what} "
            f"(full log: {log_path}); fix them, or allow one with its reason in "
            "tests/log_allowlist.txt."
        )


def install(tree, options, params, dbname, modules, allowlist, demo=True):
    """Install (or upgrade, in an existing database) ``modules``, through the gate."""
    LOGS.mkdir(parents=True, exist_ok=True)
    log_path = LOGS / f"{dbname}-install.log"
    effective = config.effective_options(
        options,
        odoo_source.addons_paths(tree),
        params,
        logfile=log_path,
        log_level="info",
        workers=0,
        http_enable="False",
        max_cron_threads=0,
    )
    log_path.unlink(missing_ok=True)
    config_path = config.write_config(dbname, effective)
    to_install, to_upgrade = list(modules), []
    if postgres.database_exists(params, dbname):
        states = postgres.installed_versions(params, dbname, modules)
        to_upgrade = [m for m in modules if states.get(m, ("",))[0] == "installed"]
        to_install = [m for m in modules if m not in to_upgrade]
    args = ["-d", dbname, "--stop-after-init"]
    if to_install:
        args += ["-i", ",".join(to_install)]
    if to_upgrade:
        args += ["-u", ",".join(to_upgrade)]
    if not demo:
        args.append("--without-demo=all")
    started = time.monotonic()
    result = subprocess.run(
        odoo_command(tree, config_path, *args),
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    what = f"installing {', '.join(modules)}"
    if result.returncode:
        tail = log_path.read_text(errors="replace")[-3000:] if log_path.exists() else ""
        print(tail or result.stderr[-3000:], file=sys.stderr)
        raise HarnessError(f"{what} into {dbname} failed (log: {log_path}).")
    _check_log(log_path, what, allowlist)
    print(
        f"crm: installed {', '.join(modules)} into {dbname} "
        f"in {time.monotonic() - started:.0f} s",
        flush=True,
    )
    return config_path


def run_pytest(tree, options, params, dbname, manifests, test_paths, extra, allowlist):
    log_path = LOGS / f"{dbname}-tests.log"
    log_path.unlink(missing_ok=True)
    effective = config.effective_options(
        options,
        odoo_source.addons_paths(tree),
        params,
        db_name=dbname,
        logfile=log_path,
        log_level="info",
        workers=0,
        max_cron_threads=0,
    )
    config_path = config.write_config(f"{dbname}-tests", effective)
    env = dict(
        os.environ, CRM_TEST_DATABASE=dbname, CRM_TEST_ADDONS=",".join(manifests)
    )
    command = [
        sys.executable,
        "-m",
        "pytest",
        f"--odoo-config={config_path}",
        f"--odoo-database={dbname}",
        "--odoo-log-level=info",
        "--odoo-http",
        "-p",
        "no:cacheprovider",
        "-rs",
        *map(str, test_paths),
        *extra,
    ]
    print("crm: " + " ".join(command[2:]), flush=True)
    result = subprocess.run(command, cwd=REPO, env=env, check=False)
    if log_path.exists():
        _check_log(log_path, "running the tests", allowlist)
    return result.returncode


def test(args):
    tree = odoo_source.locate(download=False)
    options = config.read_options()
    allowlist = loggate.load_allowlist()
    manifests = addons.discover()
    selected = args.only or list(manifests)
    unknown = sorted(set(selected) - set(manifests))
    if unknown:
        raise HarnessError(
            f"no addon named {', '.join(unknown)} under addons/ "
            f"(there are: {', '.join(manifests) or 'none'})."
        )
    ensure_browser()
    ensure_program("wkhtmltopdf", "wkhtmltopdf", "the PDF reports' tests")
    if "crm_pbx" in selected:
        sip = "crm_pbx's SIP end-to-end tests"
        ensure_program("kamailio", "kamailio", sip)
        ensure_file(KAMAILIO_HTTP_CLIENT, "kamailio-utils-modules", sip)
        ensure_program("sipp", "sip-tester", sip)
    if not args.skip_lint:
        lint()
    test_paths = addons.test_dirs(names=selected)
    if not args.only:
        test_paths.append(Path("tests"))
    if not test_paths:
        raise HarnessError(f"{', '.join(selected)} has no tests/ to run.")
    created = []
    with postgres.server(options) as params:
        try:
            # with a single addon, the full install below is its install alone
            if (
                not args.skip_alone
                and not args.only
                and not args.db
                and len(manifests) > 1
            ):
                for name in manifests:
                    dbname = f"crm_alone_{name}_{os.getpid()}"
                    created.append(dbname)
                    install(tree, options, params, dbname, [name], allowlist)
                    drop(options, params, dbname)
                    created.remove(dbname)
            dbname = args.db or f"crm_test_{os.getpid()}"
            if not args.db:
                created.append(dbname)
            install(tree, options, params, dbname, selected or ["base"], allowlist)
            return run_pytest(
                tree,
                options,
                params,
                dbname,
                selected,
                test_paths,
                args.pytest_args,
                allowlist,
            )
        finally:
            if args.keep_db:
                print(f"crm: kept the databases {', '.join(created)}")
            else:
                for dbname in created:
                    drop(options, params, dbname)


def drop(options, params, dbname):
    """Drop a throwaway database and its filestore."""
    postgres.drop_database(params, dbname)
    data_dir = config.effective_options(options, [], {}).get("data_dir")
    if data_dir:
        shutil.rmtree(Path(data_dir) / "filestore" / dbname, ignore_errors=True)
