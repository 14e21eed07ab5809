"""Where Odoo 18.0's source tree comes from.

``ODOO_SRC`` if set, else ``/opt/odoo/18.0`` if present, else the 18.0 branch
downloaded from upstream into ``.cache/``.
"""

import os
import re
import shutil
import tarfile
import tempfile
import urllib.request
from pathlib import Path

from . import CACHE, HarnessError

DEFAULT_LOCATION = Path("/opt/odoo/18.0")
UPSTREAM_URL = "https://github.com/odoo/odoo/archive/refs/heads/18.0.tar.gz"
DOWNLOAD_DIR = CACHE / "odoo-18.0"


def odoo_major_version(tree):
    """Odoo's major version read from ``odoo/release.py``, or None."""
    release = Path(tree) / "odoo" / "release.py"
    if not release.is_file():
        return None
    match = re.search(r"^version_info\s*=\s*\((\d+)\s*,", release.read_text(), re.M)
    return int(match.group(1)) if match else None


def validate(tree, origin):
    tree = Path(tree).expanduser()
    if odoo_major_version(tree) != 18 or not (tree / "odoo-bin").is_file():
        raise HarnessError(
            f"{origin} points to {tree}, which is not an Odoo 18.0 source tree "
            "(no odoo-bin, or odoo/release.py is not 18.x); point it to an "
            "Odoo 18.0 checkout."
        )
    return tree.resolve()


def locate(download=True):
    """Return the path of a valid Odoo 18.0 tree, downloading it if allowed."""
    if os.environ.get("ODOO_SRC"):
        return validate(os.environ["ODOO_SRC"], "ODOO_SRC")
    if DEFAULT_LOCATION.exists():
        return validate(DEFAULT_LOCATION, str(DEFAULT_LOCATION))
    if odoo_major_version(DOWNLOAD_DIR) == 18:
        return DOWNLOAD_DIR.resolve()
    if not download:
        raise HarnessError(
            "Odoo's source is not set up; run ./crm setup (or set ODOO_SRC "
            "to an Odoo 18.0 tree)."
        )
    return _download()


def _download():
    print(f"crm: downloading Odoo 18.0 from {UPSTREAM_URL} ...", flush=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        archive = Path(tmp) / "odoo.tar.gz"
        try:
            with urllib.request.urlopen(UPSTREAM_URL, timeout=60) as response:
                with archive.open("wb") as out:
                    shutil.copyfileobj(response, out)
        except OSError as exc:
            raise HarnessError(
                f"no Odoo source found and it cannot be downloaded ({exc}); set "
                "ODOO_SRC to an Odoo 18.0 tree or put one at "
                f"{DEFAULT_LOCATION}."
            ) from exc
        with tarfile.open(archive) as tar:
            # the "data" filter refuses absolute paths and links out of the tree
            safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            tar.extractall(tmp, **safe)
        (unpacked,) = [p for p in Path(tmp).iterdir() if p.is_dir()]
        validate(unpacked, UPSTREAM_URL)
        shutil.rmtree(DOWNLOAD_DIR, ignore_errors=True)
        unpacked.rename(DOWNLOAD_DIR)
    return DOWNLOAD_DIR.resolve()


def addons_paths(tree):
    return [Path(tree) / "addons", Path(tree) / "odoo" / "addons"]
