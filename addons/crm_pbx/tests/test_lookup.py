from datetime import datetime

from odoo.tests import tagged

from odoo.addons.crm_parties.tools.phone import normalize_phone

from .common import PbxHttpCase


@tagged("post_install", "-at_install")
class TestCallerLookup(PbxHttpCase):
    def test_normalized_forms(self):
        """Every usual way of writing a number gives one E.164 key."""
        cases = {
            "+48221907030": [
                "022 190 70 30",
                "22 190 70 30",
                "(22) 190-70-30",
                "22.190.70.30",
                "22/190 70 30",
                "0048 22 190 70 30",
                "+48 (0)22 190 70 30",
                "+48 022 190 70 30",
                "48 22 190 70 30",
                "22 190 70 30 wew. 12",
                "+48 22 190 70 30 ext. 7",
                "tel:+48-22-190-70-30",
            ],
            "+442079460018": ["+44 (0)20 7946 0018", "0044 20 7946 0018"],
            "+12125550100": ["+1 (212) 555-0100 x23"],
        }
        for expected, written in cases.items():
            for number in written:
                with self.subTest(number=number):
                    self.assertEqual(normalize_phone(number, "PL"), expected)
        self.assertEqual(normalize_phone("020 7946 0018", "GB"), "+442079460018")
        for nonsense in (None, "", "anonymous", "12", "+", "1" * 20):
            with self.subTest(nonsense=nonsense):
                self.assertIsNone(normalize_phone(nonsense, "PL"))

    def test_stored_numbers_follow_edits(self):
        self.assertEqual(self.customer.phone_e164, "+48221907030")
        self.assertEqual(self.person.mobile_e164, "+48601234567")
        self.person.mobile = "+44 (0)20 7946 0018"
        self.assertEqual(self.person.mobile_e164, "+442079460018")
        uk = self.env["res.partner"].create(
            {
                "name": "London office",
                "country_id": self.env.ref("base.uk").id,
                "phone": "020 7946 0019",
            }
        )
        self.assertEqual(uk.phone_e164, "+442079460019", "the partner's own country")

    def test_lookup_any_format_json_and_text(self):
        response = self.lookup("0 601-234-567")
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["e164"], "+48601234567")
        self.assertEqual(body["name"], "Anna Nowak (Hydro-Tech)")
        self.assertEqual(
            body["matches"],
            [
                {
                    "id": self.person.id,
                    "name": "Anna Nowak",
                    "is_company": False,
                    "company_id": self.customer.id,
                    "company": "Hydro-Tech",
                }
            ],
        )
        text = self.lookup("+48 601 234 567", output="text")
        self.assertEqual(text.headers["Content-Type"], "text/plain; charset=utf-8")
        self.assertEqual(text.text, "Anna Nowak (Hydro-Tech)")
        unknown = self.lookup("+48 601 234 568", output="text")
        self.assertEqual((unknown.status_code, unknown.text), (200, ""))

    def test_ranking_person_first_then_most_recent_call(self):
        Partner = self.env["res.partner"]
        # the reception shares the company's number with two persons
        reception = Partner.create(
            {"name": "Reception", "parent_id": self.customer.id, "phone": "221907030"}
        )
        director = Partner.create(
            {"name": "Director", "parent_id": self.customer.id, "phone": "221907030"}
        )
        self.env["crm.pbx.call"].create(
            {
                "pbx_id": self.pbx.id,
                "company_id": self.company.id,
                "call_uid": "old",
                "partner_id": director.id,
                "state": "ended",
                "date_start": datetime(2026, 1, 2, 9, 0),
            }
        )
        matches = Partner._crm_pbx_match("+48221907030", self.company)
        self.assertEqual(matches, director | reception | self.customer)
        self.assertEqual(matches[:1], director, "the one called most recently")
        self.assertEqual(matches[-1:], self.customer, "the company comes last")
        self.assertEqual(
            [m["id"] for m in self.lookup("22 190 70 30").json()["matches"]],
            matches.ids,
        )

    def test_archived_and_other_companies_partners_are_not_callers(self):
        other_company = self.env["res.company"].create({"name": "Other firm"})
        self.env["res.partner"].create(
            {
                "name": "Their client",
                "company_id": other_company.id,
                "phone": "+48 22 555 00 11",
            }
        )
        self.env["res.partner"].create(
            {"name": "Gone", "phone": "+48 22 555 00 12", "active": False}
        )
        self.assertEqual(self.lookup("22 555 00 11").json()["matches"], [])
        self.assertEqual(self.lookup("22 555 00 12").json()["matches"], [])

    def test_extra_phones_of_contacts_ext(self):
        if "crm.contact.channel" not in self.env:
            self.skipTest("crm_contacts_ext is not installed")
        self.env["crm.contact.channel"].create(
            {
                "partner_id": self.person.id,
                "medium": "phone",
                "value": "+48 (58) 300-40-50",
            }
        )
        body = self.lookup("058 300 40 50").json()
        self.assertEqual([m["id"] for m in body["matches"]], self.person.ids)
