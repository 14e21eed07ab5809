"""``odoo.conf`` as the user wrote it, and the effective file Odoo is given.

The scripts add only what must be computed: Odoo's own addons paths, the
absolute form of relative paths, and the embedded server's socket.
"""

import configparser
from pathlib import Path

from . import DATA, REPO

USER_CONFIG = REPO / "odoo.conf"
PATH_OPTIONS = ("data_dir", "logfile")


def read_options(path=USER_CONFIG):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(path)
    return dict(parser["options"]) if parser.has_section("options") else {}


def _absolute(value):
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else (REPO / path).resolve())


def effective_options(options, odoo_addons, params, **overrides):
    """Options for Odoo: the user's, completed and overridden."""
    effective = dict(options)
    own = [
        p.strip() for p in options.get("addons_path", "addons").split(",") if p.strip()
    ]
    effective["addons_path"] = ",".join(
        [str(p) for p in odoo_addons] + [_absolute(p) for p in own]
    )
    for option in PATH_OPTIONS:
        if effective.get(option) not in (None, "", "False"):
            effective[option] = _absolute(effective[option])
    effective.update({key: value for key, value in params.items() if value})
    effective.update(
        {key: str(value) for key, value in overrides.items() if value is not None}
    )
    return effective


def write_config(name, options):
    """Write ``.data/<name>.conf`` and return its path."""
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"{name}.conf"
    parser = configparser.ConfigParser(interpolation=None)
    parser["options"] = options
    with path.open("w") as handle:
        parser.write(handle)
    return path
