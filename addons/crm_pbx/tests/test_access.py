from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PbxHttpCase

T0 = 1767261600  # 2026-01-01 10:00:00 UTC


@tagged("post_install", "-at_install")
class TestAccess(PbxHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Call = cls.env["crm.pbx.call"]
        values = {"pbx_id": cls.pbx.id, "company_id": cls.company.id}
        cls.own_call = Call.create(
            {
                **values,
                "call_uid": "own",
                "state": "ended",
                "user_id": cls.agent.id,
                "date_start": "2026-01-01 10:00:00",
                "recording_url": "https://pbx.example.com/own.wav",
            }
        )
        cls.colleague_call = Call.create(
            {
                **values,
                "call_uid": "colleague",
                "state": "ended",
                "user_id": cls.other_agent.id,
                "date_start": "2026-01-01 10:05:00",
            }
        )
        cls.live_call = Call.create(
            {
                **values,
                "call_uid": "live",
                "state": "talking",
                "user_id": cls.other_agent.id,
                "date_start": "2026-01-01 10:10:00",
            }
        )

    def test_agent_sees_live_calls_and_own_history(self):
        calls = (
            self.env["crm.pbx.call"]
            .with_user(self.agent)
            .search([("pbx_id", "=", self.pbx.id)])
        )
        self.assertEqual(calls, self.live_call | self.own_call)
        self.assertEqual(
            self.own_call.with_user(self.agent).recording_url,
            "https://pbx.example.com/own.wav",
        )
        with self.assertRaises(AccessError):
            self.colleague_call.with_user(self.agent).read(["partner_id"])
        with self.assertRaises(AccessError):
            self.pbx.with_user(self.agent).write({"name": "Mine now"})
        # the token is for managers only
        with self.assertRaises(AccessError):
            self.pbx.with_user(self.agent).read(["token"])
        live = self.env["crm.pbx.call"].with_user(self.agent).get_live_calls()
        self.assertIn(self.live_call.id, [call["id"] for call in live])

    def test_manager_sees_all_calls(self):
        calls = (
            self.env["crm.pbx.call"]
            .with_user(self.manager)
            .search([("pbx_id", "=", self.pbx.id)])
        )
        self.assertEqual(calls, self.own_call | self.colleague_call | self.live_call)
        self.assertTrue(self.pbx.with_user(self.manager).token)

    def test_users_without_telephony_see_nothing(self):
        Call = self.env["crm.pbx.call"].with_user(self.salesman)
        with self.assertRaises(AccessError):
            Call.search([])
        with self.assertRaises(AccessError):
            Call.get_live_calls()
        with self.assertRaises(AccessError):
            self.env["crm.pbx"].with_user(self.salesman).search([])
        partner = self.customer.with_user(self.salesman)
        self.assertNotIn("crm_pbx_call_count", partner.fields_get())

    def test_other_company_calls_are_hidden(self):
        other_company = self.env["res.company"].create({"name": "Branch"})
        other_pbx = self.env["crm.pbx"].create(
            {"name": "Branch PBX", "company_id": other_company.id}
        )
        response = self.post_events(
            self.event(
                "ringing", "branch", T0, direction="inbound", caller="+48221907030"
            ),
            token=other_pbx.token,
            pbx=other_pbx,
        )
        self.assertEqual(response.status_code, 200)
        branch_call = self.env["crm.pbx.call"].browse(response.json()["call"])
        self.assertEqual(branch_call.company_id, other_company)
        self.assertNotIn(
            branch_call,
            self.env["crm.pbx.call"].with_user(self.manager).search([]),
        )
        self.manager.company_ids |= other_company
        self.assertIn(
            branch_call,
            self.env["crm.pbx.call"]
            .with_user(self.manager)
            .with_context(allowed_company_ids=[self.company.id, other_company.id])
            .search([]),
        )

    def test_caller_card_follows_the_agents_rights(self):
        self.post_events(
            self.event(
                "ringing",
                "card",
                T0,
                direction="inbound",
                caller="0601 234 567",
                extension="101",
            )
        )
        call = self.call("card")
        self.env["crm.lead"].create(
            {
                "name": "Pumps for the plant",
                "partner_id": self.customer.id,
                "type": "opportunity",
            }
        )
        Call = self.env["crm.pbx.call"].with_user(self.agent)
        card = Call.get_caller_card(call.id)
        self.assertEqual(card["call_id"], call.id)
        self.assertEqual(card["name"], "Anna Nowak")
        self.assertEqual(card["company"], "Hydro-Tech")
        # an agent without sales rights gets no opportunities, and no error
        self.assertFalse(any("opportunit" in fact.lower() for fact in card["facts"]))
        self.agent.groups_id |= self.env.ref("sales_team.group_sale_salesman_all_leads")
        card = Call.get_caller_card(call.id)
        self.assertIn("Open opportunities: 1", card["facts"])

    def test_caller_card_only_of_a_readable_call(self):
        """The card is asked for by the agent's browser with a call id: the
        record rules decide, a colleague's past call is refused."""
        Call = self.env["crm.pbx.call"].with_user(self.agent)
        self.assertEqual(
            Call.get_caller_card(self.own_call.id)["call_id"], self.own_call.id
        )
        # a call in progress is on everyone's live board
        self.assertEqual(
            Call.get_caller_card(self.live_call.id)["call_id"], self.live_call.id
        )
        with self.assertRaises(AccessError):
            Call.get_caller_card(self.colleague_call.id)
        with self.assertRaises(AccessError):
            self.env["crm.pbx.call"].with_user(self.salesman).get_caller_card(
                self.live_call.id
            )
        self.assertEqual(
            self.env["crm.pbx.call"]
            .with_user(self.manager)
            .get_caller_card(self.colleague_call.id)["call_id"],
            self.colleague_call.id,
        )
