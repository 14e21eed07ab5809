from unittest.mock import patch

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.bus.models.bus import ImBus
from odoo.addons.bus.websocket import WebsocketConnectionHandler, _websocket_instances

# also in static/tests/tours/crm_pbx_live_board_tour.js
PBX_NAME = "Tour PBX"
PBX_TOKEN = "crm-pbx-tour-token"
CALL_ID = "tour-call-1"
NOTE = "Wants a quote for two pumps"


def _wake_websockets():
    for websocket in list(_websocket_instances):
        websocket.trigger_notification_dispatching()


@tagged("post_install", "-at_install")
class TestCrmPbxUi(HttpCase):
    """The live board and the caller's card follow the PBX's events in the
    browser (static/tests/tours/crm_pbx_live_board_tour.js)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._let_the_bus_through()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True)
        )
        cls.env.company.country_id = cls.env.ref("base.pl")
        # the board starts empty: demo calls in progress are over
        cls.env["crm.pbx.call"].search([("state", "!=", "ended")]).write(
            {"state": "ended"}
        )
        cls.agent = new_test_user(
            cls.env,
            login="pbx_tour_agent",
            name="Tour Agent",
            groups="crm_pbx.group_pbx_agent,sales_team.group_sale_salesman,"
            "base.group_partner_manager",
        )
        cls.pbx = cls.env["crm.pbx"].create(
            {
                "name": PBX_NAME,
                "kind": "other",
                "token": PBX_TOKEN,
                "country_id": cls.env.ref("base.pl").id,
                "extension_ids": [(0, 0, {"name": "101", "user_id": cls.agent.id})],
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Tour Hydro-Tech",
                "is_company": True,
                "country_id": cls.env.ref("base.pl").id,
            }
        )
        cls.person = cls.env["res.partner"].create(
            {
                "name": "Anna Nowak",
                "parent_id": cls.customer.id,
                "country_id": cls.env.ref("base.pl").id,
                "mobile": "601 234 567",
            }
        )
        cls.env["crm.lead"].create(
            {
                "name": "Two pumps",
                "type": "opportunity",
                "partner_id": cls.customer.id,
                "user_id": cls.agent.id,
            }
        )

    @classmethod
    def _let_the_bus_through(cls):
        """Tests refuse websockets and drop the bus's post-commit NOTIFY:
        let the browser connect, and wake its websocket up once a request
        has stored its notifications (as the NOTIFY would)."""
        cls.startClassPatcher(
            patch.object(
                WebsocketConnectionHandler, "websocket_allowed", return_value=True
            )
        )
        sendone = ImBus._sendone

        def _sendone(self, target, notification_type, message):
            sendone(self, target, notification_type, message)
            # after the bus's own pre-commit hook, which stores the notifications
            self.env.cr.precommit.add(_wake_websockets)

        cls.startClassPatcher(patch.object(ImBus, "_sendone", _sendone))

    def test_live_board_follows_a_call(self):
        """A call rings, is answered and ends: the board shows it live with
        its identified caller, the agent gets the caller's card and logs a
        note on the contact from it."""
        self.start_tour("/odoo", "crm_pbx_live_board_tour", login="pbx_tour_agent")

        call = self.env["crm.pbx.call"].search(
            [("pbx_id", "=", self.pbx.id), ("call_uid", "=", CALL_ID)]
        )
        self.assertRecordValues(
            call,
            [
                {
                    "partner_id": self.person.id,
                    "user_id": self.agent.id,
                    "state": "ended",
                    "is_answered": True,
                    "note": NOTE,
                }
            ],
        )
        self.assertIn(NOTE, self.person.message_ids[:1].body)
