"""pytest setup shared by every test of the suite (addons/*/tests and tests/)."""

import pytest


@pytest.fixture(scope="session", autouse=True)
def parse_every_manifest_once():
    """Read all addons' manifests before Odoo's HTTP threads may do it at once.

    CPython 3.11's parser is not thread-safe (python/cpython#106905: "AST
    constructor recursion depth mismatch"); wkhtmltopdf fetching two assets
    in parallel during a PDF test made two threads parse manifests together.
    Odoo caches manifests, so parsing them here first keeps the threads out.
    """
    try:
        from odoo.modules import module
    except ImportError:  # the harness's own tests without Odoo
        return
    for name in module.get_modules():
        module.get_manifest(name)
