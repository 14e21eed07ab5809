from odoo.tests import tagged, warmup

from .common import PbxHttpCase

T0 = 1767261600  # 2026-01-01 10:00:00 UTC


@tagged("post_install", "-at_install", "is_query_count")
class TestPbxQueryCount(PbxHttpCase):
    """Queries of the PBX's requests, pinned: every one is time the PBX's
    request waits for. Counted through HTTP, so Odoo's own handling of the
    request is in (one query: the public user). The PBX's settings, its
    extensions and queues come from caches; the caller's card is no longer
    built in the PBX's request (the agent's browser asks for it)."""

    def assert_ok(self, payload, status="ok"):
        response = self.post_events(payload)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["status"], status)

    @warmup
    def test_query_count_of_a_call(self):
        ringing = self.event(
            "ringing",
            "q1",
            T0,
            direction="inbound",
            caller="0601-234-567",
            called="221002000",
            extension="101",
            queue="sales",
        )
        # the call and its event in one statement, the call read, the caller
        # matched, the agent's partner and the contact read (for the ringing
        # message), the call's update, the bus messages (board and agent)
        with self.assertQueryCount(8):
            self.assert_ok(ringing)
        # the call and its event, the call read, its update, the board
        with self.assertQueryCount(5):
            self.assert_ok(self.event("answered", "q1", T0 + 12, extension="101"))
        # ... and the missed calls of the number that the answer settles
        with self.assertQueryCount(6):
            self.assert_ok(self.event("hangup", "q1", T0 + 90, disposition="answered"))
        # a duplicate: the statement that stores nothing
        with self.assertQueryCount(2):
            self.assert_ok(ringing, status="duplicate")
        self.assertRecordValues(
            self.call("q1"),
            [
                {
                    "state": "ended",
                    "partner_id": self.person.id,
                    "user_id": self.agent.id,
                    "queue_id": self.pbx.queue_ids.id,
                    "talk_seconds": 78,
                }
            ],
        )

    @warmup
    def test_query_count_of_a_lookup(self):
        # the matches, what the answer shows of them and of their companies
        with self.assertQueryCount(4):
            response = self.lookup("+48 601 234 567")
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["name"], "Anna Nowak (Hydro-Tech)")


@tagged("post_install", "-at_install")
class TestPbxCaches(PbxHttpCase):
    """What the PBX's requests take from caches follows the changes made in
    Odoo at once."""

    def test_changed_pbx_extension_and_queue_apply_to_the_next_event(self):
        def ring(call_id, **values):
            response = self.post_events(
                self.event(
                    "ringing",
                    call_id,
                    T0,
                    direction="inbound",
                    caller="020 7946 0018",
                    **values,
                )
            )
            self.assertEqual(response.status_code, 200, response.text)
            return self.call(call_id)

        first = ring("k1", extension="101", queue="support")
        self.assertRecordValues(
            first,
            [
                {
                    "user_id": self.agent.id,
                    "queue_id": False,
                    "number_e164": "+482079460018",
                }
            ],
        )
        self.pbx.extension_ids.filtered(
            lambda ext: ext.name == "101"
        ).user_id = self.other_agent
        support = self.env["crm.pbx.queue"].create(
            {"name": "support", "pbx_id": self.pbx.id}
        )
        self.pbx.country_id = self.env.ref("base.uk")
        second = ring("k2", extension="101", queue="support")
        self.assertRecordValues(
            second,
            [
                {
                    "user_id": self.other_agent.id,
                    "queue_id": support.id,
                    "number_e164": "+442079460018",
                }
            ],
        )
        self.assertFalse(ring("k3", extension="103").extension_id)
        extension = self.env["crm.pbx.extension"].create(
            {"name": "103", "pbx_id": self.pbx.id, "user_id": self.manager.id}
        )
        self.assertRecordValues(
            ring("k4", extension="103"),
            [{"extension_id": extension.id, "user_id": self.manager.id}],
        )
        extension.unlink()
        self.assertFalse(ring("k5", extension="103").extension_id)
        support.name = "help"
        self.assertFalse(ring("k6", queue="support").queue_id)

    def test_new_token_replaces_the_old_one_at_once(self):
        ringing = self.event("ringing", "t1", T0, direction="inbound")
        self.assertEqual(self.post_events(ringing).status_code, 200)
        self.pbx.action_regenerate_token()
        self.assertEqual(self.post_events(ringing).status_code, 401)
        response = self.post_events(ringing, token=self.pbx.token)
        self.assertEqual(response.json()["status"], "duplicate")

    def test_deleted_pbx_is_unknown_at_once(self):
        pbx = self.env["crm.pbx"].create({"name": "Short-lived PBX"})
        url = f"/crm_pbx/{pbx.id}/lookup?number=221907030"
        headers = {"Authorization": f"Bearer {pbx.token}"}
        self.assertEqual(self.url_open(url, headers=headers).status_code, 200)
        pbx.unlink()
        self.assertEqual(self.url_open(url, headers=headers).status_code, 404)
