"""``./crm i18n ADDON``: export the addon's ``.pot`` and merge its ``pl.po``.

The template comes from Odoo's own exporter on a database where the addon
is installed; existing Polish translations are kept by message id, new
messages are added untranslated, vanished ones are dropped.
"""

import os
import subprocess

import polib

from . import HarnessError, addons, config, loggate, odoo_source, postgres
from .odoo_process import odoo_command
from .testing import drop, install

LANGUAGES = {
    "pl": "Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && "
    "n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
}


def merge_po(pot_path, po_path, language):
    template = polib.pofile(str(pot_path))
    old = polib.pofile(str(po_path)) if po_path.exists() else polib.POFile()
    known = {(entry.msgctxt, entry.msgid): entry for entry in old}
    merged = polib.POFile(wrapwidth=78)
    merged.metadata = dict(template.metadata)
    merged.metadata["Language"] = language
    merged.metadata["Plural-Forms"] = LANGUAGES[language].split(": ", 1)[1]
    for entry in template:
        previous = known.get((entry.msgctxt, entry.msgid))
        if previous is not None:
            entry.msgstr = previous.msgstr
        merged.append(entry)
    merged.save(str(po_path))
    return sum(1 for entry in merged if not entry.msgstr)


def export(args):
    tree = odoo_source.locate(download=False)
    options = config.read_options()
    manifests = addons.discover()
    unknown = sorted(set(args.addons) - set(manifests))
    if unknown:
        raise HarnessError(f"no addon named {', '.join(unknown)} under addons/.")
    with postgres.server(options) as params:
        dbname = args.db or f"crm_i18n_{os.getpid()}"
        install(tree, options, params, dbname, args.addons, loggate.load_allowlist())
        try:
            effective = config.effective_options(
                options, odoo_source.addons_paths(tree), params, log_level="warn"
            )
            config_path = config.write_config(f"{dbname}-i18n", effective)
            for name in args.addons:
                i18n_dir = addons.ADDONS_DIR / name / "i18n"
                i18n_dir.mkdir(exist_ok=True)
                pot = i18n_dir / f"{name}.pot"
                subprocess.run(
                    odoo_command(
                        tree,
                        config_path,
                        "-d",
                        dbname,
                        f"--i18n-export={pot}",
                        f"--modules={name}",
                        "--stop-after-init",
                    ),
                    check=True,
                )
                missing = merge_po(pot, i18n_dir / "pl.po", "pl")
                print(
                    f"crm: {pot.relative_to(addons.ADDONS_DIR.parent)} exported; "
                    f"pl.po has {missing} untranslated message(s)."
                )
        finally:
            if not args.db:
                drop(options, params, dbname)
    return 0
