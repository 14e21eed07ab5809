"""./crm run installs new addons and upgrades those whose version changed."""

import contextlib

from crm_harness import addons, config, postgres, run


def test_nothing_to_change_when_versions_match(test_database):
    manifests = addons.discover()
    with postgres.server(config.read_options()) as params:
        to_install, to_upgrade = run.modules_to_change(params, test_database, manifests)
    assert (to_install, to_upgrade) == ([], [])


def test_changed_version_is_upgraded_and_new_addon_installed(test_database):
    manifests = {name: dict(m) for name, m in addons.discover().items()}
    changed = next(iter(manifests))
    manifests[changed]["version"] = "18.0.99.0.0"
    manifests["crm_not_yet_installed"] = {"version": "18.0.1.0.0"}
    with postgres.server(config.read_options()) as params:
        to_install, to_upgrade = run.modules_to_change(params, test_database, manifests)
    assert to_install == ["crm_not_yet_installed"]
    assert to_upgrade == [changed]


def test_installed_version_is_the_adapted_manifest_version(test_database):
    with (
        postgres.server(config.read_options()) as params,
        contextlib.closing(postgres.connect(params, test_database)) as conn,
        conn.cursor() as cr,
    ):
        cr.execute(
            "SELECT latest_version FROM ir_module_module WHERE name = 'crm_parties'"
        )
        assert cr.fetchone()[0] == run.adapt_version(
            addons.discover()["crm_parties"]["version"]
        )
