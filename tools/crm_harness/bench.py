"""``./crm bench``: run the benchmarks of ``bench/`` on a kept database.

The database (``crm_bench`` by default) holds every addon without demo data;
each script gets the Odoo config and the database name, makes the data it
needs (once; it is kept for the next run) and prints its own table.
"""

import subprocess
import sys
from pathlib import Path

from . import REPO, HarnessError, addons, config, loggate, odoo_source, postgres
from .testing import install

BENCH_DIR = REPO / "bench"


def bench(args):
    tree = odoo_source.locate(download=False)
    options = config.read_options()
    scripts = [Path(s).resolve() for s in args.scripts] or sorted(
        p for p in BENCH_DIR.glob("*.py") if not p.name.startswith("_")
    )
    missing = [str(s) for s in scripts if not s.is_file()]
    if missing:
        raise HarnessError(f"no benchmark script {', '.join(missing)}.")
    with postgres.server(options) as params:
        install(
            tree,
            options,
            params,
            args.db,
            list(addons.discover()),
            loggate.load_allowlist(),
            demo=False,
        )
        effective = config.effective_options(
            options,
            odoo_source.addons_paths(tree),
            params,
            db_name=args.db,
            log_level="warn",
            workers=0,
            max_cron_threads=0,
        )
        config_path = config.write_config(f"{args.db}-bench", effective)
        status = 0
        for script in scripts:
            print(f"\n== {script.name}", flush=True)
            command = [sys.executable, str(script), str(config_path), args.db]
            status |= subprocess.run(command, cwd=REPO, check=False).returncode
        return status
