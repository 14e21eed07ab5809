import io

from PyPDF2 import PdfReader

from odoo.tests import tagged
from odoo.tools import config

from .common import OfferCase


@tagged("post_install", "-at_install")
class TestOfferReport(OfferCase):
    def _pdf_text(self, order):
        report = self.env.ref("crm_offers_multicurrency.action_report_offer")
        # The web fonts wkhtmltopdf embeds carry no text mapping: print the
        # body in a system font so that its text can be read back.
        self.env["ir.ui.view"].create(
            {
                "name": "offer report in a system font (test)",
                "type": "qweb",
                "inherit_id": self.env.ref(
                    "crm_offers_multicurrency.report_offer_document"
                ).id,
                "arch": """
                    <xpath expr="//div[hasclass('o_offer_page')]" position="attributes">
                        <attribute name="style">font-family: 'DejaVu Sans'</attribute>
                    </xpath>
                """,
            }
        )
        # wkhtmltopdf fetches the styles from the server the tests run
        self.env["ir.config_parameter"].sudo().set_param(
            "report.url", f"http://127.0.0.1:{config['http_port']}"
        )
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, order.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        reader = PdfReader(io.BytesIO(pdf))
        return " ".join(page.extract_text() for page in reader.pages)

    def test_pdf_shows_the_variants_side_by_side_in_every_currency(self):
        order = self._offer()
        order.offer_variant_ids[1].description = "With chairs"
        text = " ".join(self._pdf_text(order).split())
        for expected in (
            order.name,
            "Basic",
            "Premium",
            "With chairs",
            "In every variant",
            "Offer Delivery",
            "Total OCR",
            "Total TEU",
            "Total TYN",
            "52.50",  # Basic in TEU
            "42,300",  # Premium in TYN, no decimals
            "1 OCR = 0.250000 TEU",
            "two hundred and ten OCR 00/100",
            "Our offer",
            "Olga Offer",
        ):
            self.assertIn(expected, text)

    def test_html_in_polish_with_polish_amount_in_words(self):
        self.env["res.lang"]._activate_lang("pl_PL")
        order = self._offer()
        order.offer_lang = "pl_PL"
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "crm_offers_multicurrency.action_report_offer", order.ids
        )
        self.assertIn("dwieście dziesięć OCR 00/100", html.decode())

    def test_offer_sent_by_email_attaches_the_offer(self):
        order = self._offer()
        action = order.action_quotation_send()
        template = self.env.ref("crm_offers_multicurrency.mail_template_offer")
        self.assertEqual(action["context"]["default_template_id"], template.id)
        self.assertEqual(
            template.report_template_ids,
            self.env.ref("crm_offers_multicurrency.action_report_offer"),
        )
