"""Discovery of the suite's addons: every folder of ``addons/`` with a manifest."""

import ast
from pathlib import Path

from . import REPO

ADDONS_DIR = REPO / "addons"


def read_manifest(addon_dir):
    return ast.literal_eval((Path(addon_dir) / "__manifest__.py").read_text())


def discover(addons_dir=ADDONS_DIR):
    """Return ``{name: manifest}`` for the installable addons, sorted by name."""
    found = {}
    for manifest_file in sorted(Path(addons_dir).glob("*/__manifest__.py")):
        manifest = read_manifest(manifest_file.parent)
        if manifest.get("installable", True):
            found[manifest_file.parent.name] = manifest
    return found


def test_dirs(addons_dir=ADDONS_DIR, names=None):
    """The ``tests`` folders of the given (default: all) addons that have one."""
    names = names or discover(addons_dir)
    return [
        Path(addons_dir) / name / "tests"
        for name in names
        if (Path(addons_dir) / name / "tests" / "__init__.py").exists()
    ]
