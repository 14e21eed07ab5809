"""``./crm setup``: the virtualenv with Odoo's and the suite's dependencies.

Odoo's own ``requirements.txt`` pins the versions of Debian 12 / Ubuntu 24.04;
a few of them do not install from PyPI on every Python 3.10-3.12, so they are
replaced here (see ``REQUIREMENT_OVERRIDES``). Running setup again with the
same inputs only checks a stamp and returns.
"""

import hashlib
import os
import re
import subprocess
import sys
import venv

from . import REPO, VENV, HarnessError, odoo_source

# Odoo requirement name -> replacement line (None: left out), and why.
REQUIREMENT_OVERRIDES = {
    # 5.4.2's sdist builds with version 0.0.0 on a current pip; 5.6.2 has wheels.
    "cbor2": "cbor2==5.6.2",
    # Only auth_ldap needs it, and it needs libldap2-dev and libsasl2-dev to build.
    "python-ldap": None,
    # The same library as a wheel: no libpq headers or compiler needed.
    "psycopg2": "psycopg2-binary==2.9.9 ; python_version < '3.13'",
}
STAMP = VENV / ".crm-setup-stamp"


def venv_python():
    return VENV / "bin" / "python"


def _requirement_name(line):
    match = re.match(r"\s*([A-Za-z0-9_.\-]+)", line)
    return match.group(1).lower() if match else None


def odoo_requirements(tree):
    """Odoo's requirement lines with the overrides applied."""
    lines = []
    for raw in (tree / "requirements.txt").read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        name = _requirement_name(line) if line else None
        if not name:
            continue
        if name in REQUIREMENT_OVERRIDES:
            replacement = REQUIREMENT_OVERRIDES[name]
            if replacement and replacement not in lines:
                lines.append(replacement)
            continue
        lines.append(line)
    return lines


def _stamp_for(odoo_lines):
    digest = hashlib.sha256()
    digest.update(sys.version.encode())
    digest.update("\n".join(odoo_lines).encode())
    digest.update((REPO / "requirements.txt").read_bytes())
    return digest.hexdigest()


def _pth_file():
    version = "python{}.{}".format(*sys.version_info[:2])
    return VENV / "lib" / version / "site-packages" / "odoo-source.pth"


def _link_odoo(tree):
    """Odoo runs from its source tree: a .pth file puts it on the venv's path."""
    pth = _pth_file()
    if not pth.exists() or pth.read_text() != f"{tree}\n":
        pth.write_text(f"{tree}\n")


def setup(force=False):
    tree = odoo_source.locate(download=True)
    odoo_lines = odoo_requirements(tree)
    stamp = _stamp_for(odoo_lines)
    if not force and STAMP.exists() and STAMP.read_text() == stamp:
        _link_odoo(tree)
        print(f"crm: setup is up to date (Odoo at {tree}).")
        return tree
    if not venv_python().exists():
        print(f"crm: creating the virtualenv in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    generated = VENV / "odoo-requirements.txt"
    generated.write_text("\n".join(odoo_lines) + "\n")
    print("crm: installing Odoo's and the suite's Python dependencies ...", flush=True)
    # -qq: only errors; the machine's pip config may warn about every package
    pip = [str(venv_python()), "-m", "pip", "install", "-qq"]
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
    for args in (["-r", str(generated)], ["-r", str(REPO / "requirements.txt")]):
        result = subprocess.run(pip + args, env=env, check=False)
        if result.returncode:
            raise HarnessError(
                f"pip could not install {args[-1]} (see its output above); "
                "check the network access to PyPI and run ./crm setup again."
            )
    _link_odoo(tree)
    STAMP.write_text(stamp)
    print(f"crm: setup done (Odoo at {tree}).")
    return tree


def ensure_setup():
    """Run setup when it has never run or its inputs changed; return the tree."""
    return setup(force=False)
