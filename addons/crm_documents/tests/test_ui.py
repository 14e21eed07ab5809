from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools.safe_eval import safe_eval


@tagged("post_install", "-at_install")
class TestCrmDocumentsUi(HttpCase):
    def _dashboard_domain(self):
        """The domain of the expiry dashboard's default filter."""
        action = self.env.ref("crm_documents.crm_document_action_expiry")
        context = safe_eval(action.context)
        defaults = [
            key.removeprefix("search_default_")
            for key, value in context.items()
            if key.startswith("search_default_") and value
        ]
        self.assertEqual(defaults, ["expiring_90"])
        search_view = action.search_view_id.id or False
        arch = self.env["crm.document"].get_views([(search_view, "search")])["views"][
            "search"
        ]["arch"]
        (node,) = etree.fromstring(arch).xpath("//filter[@name='expiring_90']")
        return safe_eval(
            node.get("domain"),
            {
                "context_today": lambda: fields.Date.context_today(
                    self.env["crm.document"]
                ),
                "relativedelta": relativedelta,
                "uid": self.env.uid,
            },
        )

    def test_contract_tour(self):
        """A contract is created, versioned, activated and seen on the dashboard."""
        self.start_tour("/odoo", "crm_documents_contract_tour", login="admin")

        self.env.invalidate_all()
        Document = self.env["crm.document"]
        document = Document.search([("name", "=", "Tour maintenance contract")])
        self.assertEqual(len(document), 1)
        self.assertEqual(document.state, "active")
        self.assertEqual(
            document.type_id, self.env.ref("crm_documents.document_type_contract")
        )
        self.assertEqual(
            document.partner_ids, self.env.ref("crm_parties.partner_vistula_holding")
        )
        self.assertEqual(document.notice_days, 10)
        self.assertEqual((document.date_to - document.date_from).days, 20)
        self.assertFalse(document.checked_out_by_id)
        self.assertEqual(document.version_ids.mapped("comment"), ["first draft"])
        self.assertEqual(document.version_ids.number, 1)
        self.assertEqual(document.current_version_id, document.version_ids)
        self.assertIn(document, Document.search(self._dashboard_domain()))
