from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import OfferCase


@tagged("post_install", "-at_install")
class TestOfferAmountInWords(OfferCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("pl_PL")
        cls.pln = cls.env.ref("base.PLN")
        cls.eur = cls.env.ref("base.EUR")
        cls.usd = cls.env.ref("base.USD")
        cls.order = cls._offer()

    def _words(self, amount, currency, lang):
        return self.order._offer_amount_in_words(amount, currency, lang)

    def test_polish(self):
        self.assertEqual(
            self._words(1234.56, self.pln, "pl_PL"),
            "tysiąc dwieście trzydzieści cztery złote, pięćdziesiąt sześć groszy",
        )
        self.assertEqual(self._words(2.0, self.eur, "pl_PL"), "dwa euro, zero centów")

    def test_english(self):
        self.assertEqual(
            self._words(1234.56, self.eur, "en_US"),
            "one thousand, two hundred and thirty-four euro, fifty-six cents",
        )

    def test_currency_unknown_to_num2words_is_written_with_its_code(self):
        self.assertEqual(
            self._words(1234.56, self.usd, "pl_PL"),
            "tysiąc dwieście trzydzieści cztery USD 56/100",
        )

    def test_variant_total_in_the_offer_language(self):
        basic = self.order.offer_variant_ids[0]
        self.order.offer_lang = "pl_PL"
        # 210 offer crowns: num2words has no OCR, so units in words and the code
        self.assertEqual(basic._amount_in_words(), "dwieście dziesięć OCR 00/100")
        self.order.offer_lang = "en_US"
        self.assertEqual(basic._amount_in_words(), "two hundred and ten OCR 00/100")

    def test_refusals_are_translated(self):
        self.env["ir.module.module"]._load_module_terms(
            ["crm_offers_multicurrency"], ["pl_PL"], overwrite=True
        )
        unrated = self.env["res.currency"].create(
            {"name": "NRP", "symbol": "N", "full_name": "No Rate Penny"}
        )
        order = self.order.with_context(lang="pl_PL")
        with self.assertRaises(ValidationError) as caught:
            order.offer_currency_ids = [Command.link(unrated.id)]
            order.offer_rate_ids.mapped("rate")
        self.assertIn("Brak kursu waluty NRP", str(caught.exception))
        self.assertEqual(
            self.env.ref("crm_offers_multicurrency.action_report_offer")
            .with_context(lang="pl_PL")
            .name,
            "Oferta (warianty i waluty)",
        )
