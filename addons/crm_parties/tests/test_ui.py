from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestCrmPartiesUi(HttpCase):
    def test_partner_card_tour(self):
        """The demo holding's card: group, staff, satisfaction and timeline."""
        self.start_tour("/odoo", "crm_parties_partner_card_tour", login="admin")
