"""Where Odoo's source comes from, and the failures a user can meet."""

import pytest
from crm_harness import HarnessError, odoo_source


def test_the_configured_tree_is_odoo_18():
    tree = odoo_source.locate(download=False)
    assert odoo_source.odoo_major_version(tree) == 18
    assert (tree / "odoo-bin").is_file()


def test_no_source_and_no_network_is_a_clear_error(monkeypatch, tmp_path):
    # nothing listens on port 1 of the loopback: the download is refused at once
    monkeypatch.setattr(odoo_source, "UPSTREAM_URL", "http://127.0.0.1:1/18.0.tar.gz")
    monkeypatch.setattr(odoo_source, "CACHE", tmp_path)
    monkeypatch.setattr(odoo_source, "DOWNLOAD_DIR", tmp_path / "odoo-18.0")
    with pytest.raises(HarnessError, match="cannot be downloaded.*set ODOO_SRC"):
        odoo_source._download()
    assert not (tmp_path / "odoo-18.0").exists()
