"""Fuzzing of the ``crm_pbx`` endpoints from their OpenAPI description.

Asked for by ``crm_pbx`` (issue 10): whatever a PBX (or anybody) sends to
``POST /crm_pbx/<id>/events`` and ``GET /crm_pbx/<id>/lookup``, Odoo must
answer as ``addons/crm_pbx/api/openapi.yaml`` says: never a 500 nor a
traceback in the log, errors as JSON 400/401/403/404 with ``error`` and
``field``. ``schemathesis`` (``requirements.txt``) generates the requests
from the description, valid and invalid, against a real server
(``odoo-bin --workers=2``, ``_pbx_server.py``), in two passes:

* **PBX of the bench**: ``pbx_id`` is the bench PBX's (other ids are
  "invalid" ones, expected refused), with its token as a bearer, so
  bodies and query strings reach the parsing and the lookup (and
  ``ignored_auth`` also sends them without it, expecting a 401);
* **any PBX id**: ``pbx_id`` generated too (404 for unknown ones).

The fuzzer authenticates with the bearer token, the only security scheme
of the description it is given (see ``bearer_only_spec``). Every check of
schemathesis runs but ``positive_data_acceptance``: the API
refuses some requests its schema alone allows, by rules a JSON schema can't
say or that depend on the clock (a ``transferred`` event needs
``transfer_to``, a ``ringing`` one its ``direction``, a ``cdr`` its ``end``,
times up to one day ahead only); those refusals are 400s naming the field,
which the other checks verify. The script also reads the server's log: any
warning, error or traceback fails the run.

The events the fuzzer sends are stored in the database like any other (a
bench database: they stay).

Usage: ``./crm bench --db crm_bench_pbx bench/pbx_fuzz.py``
(``PBX_FUZZ_EXAMPLES``: test cases per operation and pass, 200 by default.)
"""

import itertools
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from _common import environment
from _pbx_data import PBX_TOKEN, ensure_pbx_data
from _pbx_server import log_problems, odoo_server

SPEC = Path(__file__).resolve().parent.parent / "addons/crm_pbx/api/openapi.yaml"
EXAMPLES = int(os.environ.get("PBX_FUZZ_EXAMPLES", "200"))
SEED = 2026
# The coverage phase sends valid and invalid values of every part; the
# fuzzing phase random valid ones only: its invalid ones make schemathesis
# 4.10 fail on its own schema ("[] has less than 1 item ... required").
PHASES = {
    "coverage": ["--phases", "coverage"],
    "fuzzing": ["--phases", "fuzzing", "--mode", "positive"],
}


def bearer_only_spec(path, pbx_id=None):
    """The description with the bearer token as the only way in, and the
    PBX id limited to ``pbx_id`` if given; written to ``path``.

    The fuzzer authenticates with the token; with the HMAC signature as an
    alternative, schemathesis's coverage phase takes the signature headers
    for required even beside a valid token, and reports the 200 answers as
    "missing header not rejected" (the signature is tested by the addon's
    own tests). The id is limited in the description rather than fixed in
    schemathesis's configuration, which still generates "invalid" ids then
    sends the fixed one, and calls the 200 answer a failure.
    """
    spec = yaml.safe_load(SPEC.read_text())
    for operations in spec["paths"].values():
        for operation in operations.values():
            operation["security"] = [{"bearer": []}]
    if pbx_id:
        schema = {"type": "integer", "enum": [pbx_id]}
        spec["components"]["parameters"]["PbxId"]["schema"] = schema
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return path


def schemathesis(url, spec, report_dir, label, phase):
    """Run schemathesis once; return (exit code, the summary lines)."""
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run", str(spec), "--url", url,
        "--header", f"Authorization: Bearer {PBX_TOKEN}",
        "--checks", "all", "--exclude-checks", "positive_data_acceptance",
        *PHASES[phase], "--max-examples", str(EXAMPLES), "--seed", str(SEED),
        "--generation-database", "none", "--workers", "1", "--no-color",
        "--request-timeout", "60", "--report", "junit",
        "--report-junit-path", str(report_dir / f"{label}.xml"),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    return result.returncode, result.stdout + result.stderr


def main(config_path, db_name):
    with environment(config_path, db_name) as env:
        info = ensure_pbx_data(env)
        pbx_id = info["pbx"].id
    report_dir = Path(config_path).resolve().parent / "logs" / "pbx-fuzz"
    report_dir.mkdir(parents=True, exist_ok=True)
    status = 0
    with (
        tempfile.TemporaryDirectory() as tmp,
        odoo_server(config_path, db_name, log_name="pbx-fuzz") as (url, log),
    ):
        passes = [
            ("bench PBX", bearer_only_spec(Path(tmp) / "bench.yaml", pbx_id)),
            ("any PBX id", bearer_only_spec(Path(tmp) / "any.yaml")),
        ]
        for (label, spec), phase in itertools.product(passes, PHASES):
            start = time.perf_counter()
            name = f"{label.replace(' ', '_')}-{phase}"
            code, output = schemathesis(url, spec, report_dir, name, phase)
            status |= code
            print(f"-- {label}, {phase}: schemathesis exit {code}, "
                  f"{time.perf_counter() - start:.0f} s")  # fmt: skip
            lines = [line for line in output.rstrip().splitlines() if line.strip()]
            print("\n".join(lines[-80:] if code else lines[-14:]))
    problems = log_problems(log)
    print(f"server log: {len(problems)} warnings, errors or tracebacks")
    for line in problems[:20]:
        print(f"  {line}")
    print(f"junit reports in {report_dir}; load {os.getloadavg()[0]:.2f}")
    return 1 if status or problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
