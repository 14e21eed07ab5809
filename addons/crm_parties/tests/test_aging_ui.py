from odoo.tests import HttpCase, tagged

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@tagged("post_install", "-at_install")
class TestCrmPartiesAgingUi(HttpCase):
    def test_aging_tour(self):
        """The aging of the demo data: pivot, drill-down to items, XLSX."""
        self.start_tour("/odoo", "crm_parties_aging_tour", login="admin")

    def test_xlsx_download(self):
        """The XLSX link of the wizard downloads a workbook over HTTP."""
        admin = self.env.ref("base.user_admin")
        # The file is attached to the wizard: one of admin's own, so his.
        wizard = self.env["crm.aging.report"].with_user(admin).create({})
        action = wizard.action_export_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertRegex(action["url"], r"^/web/content/\d+\?download=true$")

        self.authenticate("admin", "admin")
        response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], XLSX_MIMETYPE)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        self.assertIn(".xlsx", response.headers["Content-Disposition"])
        self.assertTrue(response.content.startswith(b"PK"))
