from datetime import timedelta

from odoo import Command, fields, http
from odoo.tests import HttpCase, new_test_user, tagged

from .common import OfferCase


@tagged("post_install", "-at_install")
class TestOfferPortal(HttpCase, OfferCase):
    """The customer accepts a variant from the portal (link with a token, or
    logged in as a portal user following the offer)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env, login="offer_portal", groups="base.group_portal", name="Client"
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.stranger = new_test_user(
            cls.env, login="offer_stranger", groups="base.group_portal"
        )

    def _open_offer(self):
        """An offer valid from today, sent to the customer."""
        order = self._offer(date_order=fields.Datetime.now())
        order.message_subscribe(partner_ids=self.customer.ids)
        order.action_quotation_sent()
        order._portal_ensure_token()
        return order

    def _accept(self, order, variant, access_token=None):
        if not getattr(self, "session", None):
            self.authenticate(None, None)
        data = {
            "variant_id": variant.id,
            "csrf_token": http.Request.csrf_token(self),
        }
        if access_token:
            data["access_token"] = access_token
        return self.url_open(
            f"/my/orders/{order.id}/offer/accept", data=data, allow_redirects=False
        )

    def test_the_portal_shows_the_variants_and_their_currencies(self):
        order = self._open_offer()
        response = self.url_open(order.get_portal_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn("Accept this variant", response.text)
        self.assertIn("Premium", response.text)
        # 282 offer crowns at today's (April) rate of the Test Euro, 0.2
        self.assertIn("56.40", response.text)

    def test_the_customer_accepts_a_variant_with_the_link(self):
        order = self._open_offer()
        premium = order.offer_variant_ids[1]
        self.authenticate(None, None)
        response = self._accept(order, premium, order.access_token)
        self.assertEqual(response.status_code, 303)
        self.assertIn("offer_accepted=1", response.headers["Location"])
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.offer_variant_id, premium)
        self.assertEqual(
            order.order_line.offer_variant_id, premium
        )  # the shared line has none
        self.assertTrue(
            order.message_ids.filtered(
                lambda m: "accepted the variant Premium on the portal" in m.body
            )
        )

    def test_a_portal_user_accepts_their_own_offer(self):
        order = self._open_offer()
        self.authenticate("offer_portal", "offer_portal")
        self._accept(order, order.offer_variant_ids[0])
        self.assertEqual(order.offer_variant_id, order.offer_variant_ids[0])

    def test_no_acceptance_of_another_customers_offer(self):
        order = self._open_offer()
        self.authenticate("offer_stranger", "offer_stranger")
        response = self._accept(order, order.offer_variant_ids[0])
        self.assertTrue(response.headers["Location"].endswith("/my"))
        self.authenticate(None, None)
        response = self._accept(order, order.offer_variant_ids[0], "wrong-token")
        self.assertTrue(response.headers["Location"].endswith("/my"))
        # a variant of another offer is not one of this offer's variants
        other = self._open_offer()
        response = self._accept(order, other.offer_variant_ids[0], order.access_token)
        self.assertIn("offer_error", response.headers["Location"])
        self.assertEqual(order.state, "sent")
        self.assertEqual(other.state, "sent")
        self.assertEqual(len(order.order_line), 4)

    def test_no_acceptance_of_an_expired_or_accepted_offer(self):
        order = self._open_offer()
        # a day apart from today in any time zone: the portal's today is the
        # visitor's, another day than the machine's late at night
        order.validity_date = fields.Date.today() - timedelta(days=2)
        response = self._accept(order, order.offer_variant_ids[0], order.access_token)
        self.assertIn("offer_error", response.headers["Location"])
        self.assertEqual(order.state, "sent")
        order.validity_date = fields.Date.today() + timedelta(days=1)
        self._accept(order, order.offer_variant_ids[0], order.access_token)
        self.assertEqual(order.state, "sale")
        response = self._accept(order, order.offer_variant_ids[1], order.access_token)
        self.assertIn("offer_error", response.headers["Location"])
        self.assertEqual(order.offer_variant_id, order.offer_variant_ids[0])
        page = self.url_open(response.headers["Location"])
        self.assertIn("already accepted", page.text)

    def test_the_standard_accept_button_is_hidden_until_a_variant_is_chosen(self):
        order = self._open_offer()
        order.require_signature = True
        self.assertFalse(order._has_to_be_signed())
        order.offer_variant_ids = [Command.clear()]
        self.assertTrue(order._has_to_be_signed())
