"""Command line of the suite: ``./crm setup | run | test``."""

import argparse
import os
import sys

from . import VENV, HarnessError


def _in_venv():
    return os.path.realpath(sys.prefix) == os.path.realpath(VENV)


def _reexec_in_venv():
    """run and test need the venv's packages: continue there after setup."""
    if not _in_venv():
        python = VENV / "bin" / "python"
        os.execv(str(python), [str(python), "-m", "crm_harness", *sys.argv[1:]])


def build_parser():
    parser = argparse.ArgumentParser(prog="crm", description="Odoo 18 CRM suite")
    sub = parser.add_subparsers(dest="command", required=True)

    setup = sub.add_parser("setup", help="create .venv and install dependencies")
    setup.add_argument("--force", action="store_true", help="reinstall everything")

    run = sub.add_parser("run", help="serve the suite on http://localhost:8069")
    run.add_argument("--port", type=int, default=None, help="HTTP port (8069)")
    run.add_argument("--db", default=None, help="database name (crm)")
    run.add_argument("--workers", type=int, default=None, help="worker processes")
    run.add_argument(
        "--gevent-port",
        type=int,
        default=None,
        help="live-notification port with --workers (8072)",
    )
    run.add_argument(
        "--no-demo", action="store_true", help="create the database without demo data"
    )

    test = sub.add_parser("test", help="run every test of the suite")
    test.add_argument(
        "--only",
        nargs="+",
        metavar="ADDON",
        help="test only these addons (and skip tests/)",
    )
    test.add_argument("--skip-lint", action="store_true", help="no pre-commit")
    test.add_argument(
        "--skip-alone", action="store_true", help="do not install each addon alone"
    )
    test.add_argument(
        "--keep-db", action="store_true", help="keep the throwaway test database"
    )
    test.add_argument(
        "--db",
        help="reuse this database (created or upgraded, never dropped) "
        "instead of a throwaway one: for quick runs while developing",
    )
    test.add_argument(
        "pytest_args", nargs="*", help="extra pytest arguments (after --)"
    )

    bench = sub.add_parser("bench", help="run the benchmarks of bench/")
    bench.add_argument("--db", default="crm_bench", help="database (crm_bench)")
    bench.add_argument("scripts", nargs="*", help="bench/*.py scripts (all)")

    i18n = sub.add_parser("i18n", help="export an addon's .pot, merge its .po")
    i18n.add_argument("addons", nargs="+", metavar="ADDON")
    i18n.add_argument("--db", help="a database where the addons are installed")

    readme = sub.add_parser("readme", help="an addon's README.rst from readme/")
    readme.add_argument("addons", nargs="+", metavar="ADDON")
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        from .setup_env import ensure_setup, setup

        if args.command == "setup":
            setup(force=args.force)
            return 0
        ensure_setup()
        _reexec_in_venv()
        if args.command == "run":
            from .run import run

            return run(args)
        if args.command == "bench":
            from .bench import bench

            return bench(args)
        if args.command == "readme":
            from .readme import generate

            return generate(args)
        if args.command == "i18n":
            from .i18n import export

            return export(args)
        from .testing import test

        return test(args)
    except HarnessError as exc:
        print(f"crm: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
