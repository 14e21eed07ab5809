from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CrmContactsCase


@tagged("post_install", "-at_install")
class TestIdentifiers(CrmContactsCase):
    def _person(self, **values):
        return self.env["res.partner"].create({"name": "Test Person", **values})

    def test_pesel_gives_birth_date_and_sex(self):
        for number, born, gender in (
            ("85051212307", date(1985, 5, 12), "female"),
            ("79110345619", date(1979, 11, 3), "male"),
            ("03222878903", date(2003, 2, 28), "female"),
            ("99923101213", date(1899, 12, 31), "male"),
        ):
            person = self._person(pesel=number)
            self.assertEqual((person.birth_date, person.gender), (born, gender))

    def test_pesel_checked_against_a_given_birth_date_and_sex(self):
        person = self._person(pesel="85051212307", birth_date="1985-05-12")
        self.assertEqual(person.gender, "female")
        with self.assertRefused("contradicts the PESEL, which says 1985-05-12"):
            self._person(pesel="85051212307", birth_date="1986-05-12")
        with self.assertRefused("sex contradicts"):
            self._person(pesel="85051212307", gender="male")

    def test_invalid_pesel_is_refused(self):
        with self.assertRefused("not a valid PESEL"):
            self._person(pesel="85051212308")  # wrong check digit
        with self.assertRefused("11 digits"):
            self._person(pesel="8505121230")
        with self.assertRefused("not a valid PESEL"):
            self._person(pesel="85133212307")  # month 13 of the 1900s
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Test Person")]))

    def test_same_pesel_twice_in_a_company_is_refused(self):
        self._person(pesel="79110345619")
        with self.assertRefused("already has the PESEL"):
            self._person(pesel="79110345619")
        other = self.env["res.company"].create({"name": "Other company"})
        self._person(pesel="79110345619", company_id=other.id)

    def test_nip_normalized_and_found_however_written(self):
        person = self._person(nip="PL 123-456-32-18")
        self.assertEqual(person.nip, "1234563218")
        Partner = self.env["res.partner"]
        for typed in ("123-456-32-18", "1234563218", "PL1234563218", "456-32"):
            self.assertIn(person, Partner.search([("nip_query", "ilike", typed)]))

    def test_invalid_nip_is_refused(self):
        with self.assertRefused("not a valid NIP"):
            self._person(nip="123-456-32-19")
        with self.assertRefused("not a valid NIP"):
            self._person(nip="12345")

    def test_pesel_hidden_from_others_who_see_it_masked(self):
        person = self._person(pesel="85051212307")
        as_owner = person.with_user(self.owner)
        self.assertEqual(as_owner.pesel_masked, "•••••••2307")
        with self.assertRaises(AccessError):
            as_owner.read(["pesel"])
        with self.assertRaises(AccessError):
            as_owner.write({"pesel": "79110345619"})
        with self.assertRaises(AccessError):
            as_owner.action_reveal_pesel()

    def test_showing_and_exporting_pesel_is_logged(self):
        person = self._person(pesel="85051212307").with_user(self.gdpr_officer)
        action = person.action_reveal_pesel()
        self.assertEqual(action["context"]["default_pesel"], "85051212307")
        person.export_data(["name", "pesel"])
        logs = person.message_ids.filtered(lambda m: "PESEL" in (m.body or ""))
        self.assertEqual(len(logs), 2)
        self.assertIn("shown by crm_contacts_gdpr", logs[1].body)
        self.assertIn("exported by crm_contacts_gdpr", logs[0].body)

    def test_pesel_wizard_saves_a_validated_pesel(self):
        person = self._person()
        wizard = (
            self.env["crm.pesel.wizard"]
            .with_user(self.gdpr_officer)
            .create({"partner_id": person.id, "pesel": "79110345619"})
        )
        wizard.action_save()
        self.assertEqual(person.birth_date, date(1979, 11, 3))
        wizard.pesel = "123"
        with self.assertRefused("11 digits"):
            wizard.action_save()

    def test_channels_and_addresses_are_searchable(self):
        person = self._person(
            channel_ids=[
                (
                    0,
                    0,
                    {
                        "medium": "phone",
                        "value": "+48 601 222 333",
                        "is_preferred": True,
                    },
                ),
                (0, 0, {"medium": "email", "value": "t.person@example.com"}),
            ],
            address_ids=[
                (0, 0, {"kind": "home", "city": "Sopot", "street": "Morska 1"})
            ],
        )
        Partner = self.env["res.partner"]
        self.assertIn(
            person, Partner.search([("channel_ids.value", "ilike", "222 333")])
        )
        self.assertIn(person, Partner.search([("address_ids.city", "ilike", "sopot")]))
        self.assertEqual(person.address_ids.display_name, "Home: Morska 1, Sopot")

    def test_invalid_channels_are_refused(self):
        with self.assertRefused("not an e-mail address"):
            self._person(channel_ids=[(0, 0, {"medium": "email", "value": "nope"})])
        with self.assertRefused("already has a preferred"):
            self._person(
                channel_ids=[
                    (
                        0,
                        0,
                        {
                            "medium": "phone",
                            "value": "601 000 001",
                            "is_preferred": True,
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "medium": "phone",
                            "value": "601 000 002",
                            "is_preferred": True,
                        },
                    ),
                ]
            )
