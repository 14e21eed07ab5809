from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestCrmContactsExtUi(HttpCase):
    def test_person_card_tour(self):
        """The demo person's card: identifiers, channels, PESEL and history."""
        admin = self.env.ref("base.user_admin")
        admin.groups_id += self.env.ref("crm_contacts_ext.group_pesel")
        anna = self.env.ref("crm_parties.partner_anna_nowak")

        self.start_tour("/odoo", "crm_contacts_ext_person_card_tour", login="admin")

        self.env.invalidate_all()
        self.assertIn("+48 22 555 66 77", anna.channel_ids.mapped("value"))
        phone = anna.channel_ids.filtered(lambda c: c.value == "+48 22 555 66 77")
        self.assertEqual(phone.medium, "phone")
        logs = anna.message_ids.filtered(lambda m: "PESEL shown by" in (m.body or ""))
        self.assertTrue(logs, "Showing the PESEL is logged in the chatter")
        self.assertIn(admin.name, logs[0].body)
