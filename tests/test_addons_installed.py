"""Every addon under addons/ is discovered and installed by ./crm test."""

import contextlib

from crm_harness import addons

import odoo


def test_discovery_reads_manifests_and_skips_uninstallable(tmp_path):
    for name, installable in (("crm_a", True), ("crm_b", False)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__manifest__.py").write_text(
            repr({"name": name, "version": "18.0.1.0.0", "installable": installable})
        )
    (tmp_path / "not_an_addon").mkdir()
    assert list(addons.discover(tmp_path)) == ["crm_a"]


def test_every_addon_is_installed_in_the_test_database(test_database):
    expected = set(addons.discover())
    registry = odoo.modules.registry.Registry(test_database)
    with contextlib.closing(registry.cursor()) as cr:
        cr.execute(
            "SELECT name FROM ir_module_module WHERE state = 'installed' "
            "AND name = ANY(%s)",
            (list(expected),),
        )
        installed = {name for (name,) in cr.fetchall()}
    assert installed == expected
