"""./crm setup: Odoo's requirements that install, and a second run that is a no-op."""

from crm_harness import odoo_source, setup_env


def test_odoo_requirements_are_adapted_to_pypi():
    lines = setup_env.odoo_requirements(odoo_source.locate(download=False))
    names = {setup_env._requirement_name(line) for line in lines}
    assert "python-ldap" not in names
    assert "psycopg2" not in names and "psycopg2-binary" in names
    assert "cbor2==5.6.2" in lines
    assert any(line.startswith("Werkzeug==") for line in lines)


def test_second_setup_changes_nothing(crm):
    stamp = setup_env.STAMP
    before = stamp.stat().st_mtime_ns
    result = crm("setup")
    assert result.returncode == 0, result.stderr
    assert "setup is up to date" in result.stdout
    assert stamp.stat().st_mtime_ns == before
