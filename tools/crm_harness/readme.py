"""``./crm readme ADDON``: the addon's README.rst from its readme/ fragments.

The OCA layout: DESCRIPTION, CONFIGURE, USAGE, ROADMAP and CONTRIBUTORS
fragments in Markdown, assembled into one reStructuredText page (as the
OCA's generator does; it is not installable from PyPI).
"""

import ast
import re

from . import HarnessError, addons

SECTIONS = (
    ("CONFIGURE", "Configuration"),
    ("USAGE", "Usage"),
    ("ROADMAP", "Known issues / Roadmap"),
)


def markdown_to_rst(text):
    text = re.sub(r"(?<!`)`([^`]+)`(?!`)", r"``\1``", text)
    return text.strip() + "\n"


def heading(title, underline="="):
    return f"{title}\n{underline * len(title)}\n"


def build(addon_dir):
    manifest = ast.literal_eval((addon_dir / "__manifest__.py").read_text())
    fragments = addon_dir / "readme"
    if not (fragments / "DESCRIPTION.md").exists():
        raise HarnessError(f"{addon_dir.name} has no readme/DESCRIPTION.md.")
    title = manifest["name"]
    parts = [
        "=" * len(title),
        title,
        "=" * len(title),
        "",
        f"License: {manifest['license']}. Version {manifest['version']}.",
        "",
        markdown_to_rst((fragments / "DESCRIPTION.md").read_text()),
    ]
    for picture in sorted((addon_dir / "static" / "description").glob("*.png")):
        if picture.name != "icon.png":
            parts.append(f".. image:: static/description/{picture.name}\n")
    parts += ["**Table of contents**", "", ".. contents::", "   :local:", ""]
    for name, title_ in SECTIONS:
        fragment = fragments / f"{name}.md"
        if fragment.exists():
            parts += [heading(title_), markdown_to_rst(fragment.read_text())]
    parts += [
        heading("Credits"),
        heading("Authors", "-"),
        f"* {manifest['author']}",
        "",
    ]
    contributors = fragments / "CONTRIBUTORS.md"
    if contributors.exists():
        parts += [
            heading("Contributors", "-"),
            markdown_to_rst(contributors.read_text()),
        ]
    return "\n".join(parts)


def generate(args):
    for name in args.addons:
        addon_dir = addons.ADDONS_DIR / name
        if not (addon_dir / "__manifest__.py").exists():
            raise HarnessError(f"no addon named {name} under addons/.")
        (addon_dir / "README.rst").write_text(build(addon_dir))
        print(f"crm: addons/{name}/README.rst written.")
    return 0
