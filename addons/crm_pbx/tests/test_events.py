import json
import threading
import time
from datetime import UTC, datetime

from odoo import api
from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged

from odoo.addons.bus.models.bus import channel_with_db, json_dump

from .common import PbxHttpCase

T0 = 1767261600  # 2026-01-01 10:00:00 UTC


@tagged("post_install", "-at_install")
class TestCallEvents(PbxHttpCase):
    def test_answered_inbound_call_from_a_known_person(self):
        for payload in (
            self.event(
                "ringing",
                "c1",
                T0,
                direction="inbound",
                caller="0601-234-567",
                called="221002000",
                extension="101",
                queue="sales",
            ),
            self.event("answered", "c1", T0 + 12, extension="101"),
            self.event("hold", "c1", T0 + 30),
            self.event("unhold", "c1", T0 + 40),
            self.event(
                "hangup",
                "c1",
                T0 + 100,
                disposition="answered",
                recording_url="https://pbx.example.com/rec/c1.wav",
            ),
        ):
            response = self.post_events(payload)
            self.assertEqual(response.status_code, 200, response.text)
            self.assertEqual(response.json()["status"], "ok")
        call = self.call("c1")
        self.assertRecordValues(
            call,
            [
                {
                    "direction": "inbound",
                    "state": "ended",
                    "partner_id": self.person.id,
                    "number_e164": "+48601234567",
                    "user_id": self.agent.id,
                    "queue_id": self.pbx.queue_ids.id,
                    "date_start": datetime(2026, 1, 1, 10, 0, 0),
                    "date_answer": datetime(2026, 1, 1, 10, 0, 12),
                    "date_end": datetime(2026, 1, 1, 10, 1, 40),
                    "wait_seconds": 12,
                    "talk_seconds": 88,
                    "disposition": "answered",
                    "is_missed": False,
                    "recording_url": "https://pbx.example.com/rec/c1.wav",
                }
            ],
        )
        timeline = self.env["crm.timeline.event"].search(
            [("commercial_partner_id", "=", self.customer.id), ("kind", "=", "call")]
        )
        self.assertEqual(timeline.mapped("res_id"), call.ids)

    def bus_payloads(self, user, notification_type):
        """What the bus has for ``user``'s browser of this type."""
        channel = json_dump(channel_with_db(self.env.cr.dbname, user.partner_id))
        messages = [
            json.loads(bus.message)
            for bus in self.env["bus.bus"].search([("channel", "=", channel)])
        ]
        return [
            message["payload"]
            for message in messages
            if message["type"] == notification_type
        ]

    def ringing_notifications(self, user):
        return self.bus_payloads(user, "crm_pbx/ringing")

    def test_ringing_tells_the_agent_the_call_only(self):
        """The agent's pop-up is told what the call knows; the caller's card
        is computed when the agent's browser asks for it, not in the PBX's
        request."""
        self.post_events(
            self.event(
                "ringing",
                "r1",
                T0,
                direction="inbound",
                caller="0601-234-567",
                extension="101",
            )
        )
        call = self.call("r1")
        self.assertEqual(
            self.ringing_notifications(self.agent),
            [
                {
                    "call_id": call.id,
                    "number": "0601-234-567",
                    "partner_id": self.person.id,
                    "name": "Anna Nowak",
                }
            ],
        )
        self.assertFalse(self.ringing_notifications(self.other_agent))
        card = self.env["crm.pbx.call"].with_user(self.agent).get_caller_card(call.id)
        self.assertEqual(card["company"], "Hydro-Tech")
        # an unknown caller: the number only; an outgoing call: no pop-up
        self.post_events(
            [
                self.event(
                    "ringing",
                    "r2",
                    T0 + 5,
                    direction="inbound",
                    caller="+48 500 000 999",
                    extension="102",
                ),
                self.event(
                    "ringing",
                    "r3",
                    T0 + 9,
                    direction="outbound",
                    caller="101",
                    called="+48221907030",
                    extension="101",
                ),
            ]
        )
        self.assertEqual(
            self.ringing_notifications(self.other_agent),
            [
                {
                    "call_id": self.call("r2").id,
                    "number": "+48 500 000 999",
                    "partner_id": False,
                    "name": "",
                }
            ],
        )
        self.assertEqual(len(self.ringing_notifications(self.agent)), 1)

    def test_same_event_twice_changes_nothing(self):
        ringing = self.event(
            "ringing", "c2", T0, direction="inbound", caller="+48221907030"
        )
        first = self.post_events(ringing).json()
        second = self.post_events(ringing).json()
        self.assertEqual(first["status"], "ok")
        self.assertEqual(second, {"status": "duplicate", "call": first["call"]})
        call = self.call("c2")
        self.assertEqual(len(call), 1)
        self.assertEqual(len(call.event_ids), 1)
        self.assertEqual(call.partner_id, self.customer)

    def test_out_of_order_events_only_move_forward(self):
        self.post_events(self.event("hangup", "c3", T0 + 60, disposition="answered"))
        self.post_events(self.event("answered", "c3", T0 + 5, extension="102"))
        self.post_events(
            self.event(
                "ringing",
                "c3",
                T0,
                direction="outbound",
                caller="102",
                called="+44 (0)20 7946 0018",
            )
        )
        call = self.call("c3")
        self.assertRecordValues(
            call,
            [
                {
                    "state": "ended",
                    "direction": "outbound",
                    "external_number": "+44 (0)20 7946 0018",
                    "number_e164": "+442079460018",
                    "date_start": datetime(2026, 1, 1, 10, 0, 0),
                    "date_answer": datetime(2026, 1, 1, 10, 0, 5),
                    "talk_seconds": 55,
                    "user_id": self.other_agent.id,
                    "partner_id": False,
                }
            ],
        )

    def test_second_hangup_changes_nothing(self):
        self.post_events(
            [
                self.event(
                    "ringing", "h1", T0, direction="inbound", caller="+48221907030"
                ),
                self.event("answered", "h1", T0 + 4),
                self.event("hangup", "h1", T0 + 60, disposition="answered"),
                self.event("hangup", "h1", T0 + 61, disposition="failed"),
            ]
        )
        self.assertRecordValues(
            self.call("h1"),
            [{"state": "ended", "disposition": "answered", "talk_seconds": 56}],
        )

    def test_batch_and_cdr_repair_a_call_with_lost_events(self):
        response = self.post_events(
            [
                self.event(
                    "ringing",
                    "c4",
                    T0,
                    direction="inbound",
                    caller="22 190 70 30",
                    extension="101",
                ),
                self.answered_cdr("c4", "22 190 70 30", T0, T0 + 20, T0 + 200),
            ]
        )
        self.assertEqual([r["status"] for r in response.json()], ["ok", "ok"])
        self.assertRecordValues(
            self.call("c4"),
            [
                {
                    "state": "ended",
                    "talk_seconds": 180,
                    "wait_seconds": 20,
                    "disposition": "answered",
                    "partner_id": self.customer.id,
                }
            ],
        )

    def missed_call(self, call_id, timestamp, **ringing):
        """An inbound call of the customer, unanswered after 10 seconds."""
        self.post_events(
            [
                self.event(
                    "ringing",
                    call_id,
                    timestamp,
                    direction="inbound",
                    caller="+48221907030",
                    **ringing,
                ),
                self.event("hangup", call_id, timestamp + 10),
            ]
        )
        return self.call(call_id)

    def test_missed_call_asks_the_owner_to_call_back_until_answered(self):
        self.post_events(
            [
                self.event(
                    "ringing",
                    "m1",
                    T0,
                    direction="inbound",
                    caller="+48221907030",
                    extension="101",
                    queue="sales",
                ),
                self.event("hangup", "m1", T0 + 25),
            ]
        )
        missed = self.call("m1")
        self.assertTrue(missed.is_missed)
        self.assertEqual(missed.disposition, "no_answer")
        # the owner has no telephony rights: asked on the customer's card,
        # once for all the calls they missed
        self.assertFalse(missed.activity_ids)
        activity = self.customer.activity_ids
        self.assertEqual(activity.user_id, self.salesman, "the customer's owner")
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("crm_pbx.mail_activity_type_call_back"),
        )
        self.assertTrue(self.missed_call("m1b", T0 + 30).is_missed)
        self.assertEqual(self.customer.activity_ids, activity)
        # no "assigned to you" message or e-mail: the activity menu is told
        # through the bus
        self.assertFalse(
            self.env["mail.message"].search(
                [
                    "|",
                    "&",
                    ("model", "=", "crm.pbx.call"),
                    ("res_id", "=", missed.id),
                    "&",
                    ("model", "=", "res.partner"),
                    ("res_id", "=", self.customer.id),
                ]
            )
        )
        self.assertFalse(
            self.env["mail.mail"].search(
                [("partner_ids", "in", self.salesman.partner_id.ids)]
            )
        )
        self.assertFalse(
            self.env["mail.notification"].search(
                [("res_partner_id", "=", self.salesman.partner_id.id)]
            )
        )
        self.assertIn(
            {"activity_created": True, "count_diff": 1},
            self.bus_payloads(self.salesman, "mail.activity/updated"),
        )
        # an unknown caller gets no activity, a missed queue call of a
        # customer without owner goes to the queue's team leader
        self.customer.user_id = False
        self.post_events(
            [
                self.event(
                    "ringing",
                    "m2",
                    T0 + 60,
                    direction="inbound",
                    caller="+48221907030",
                    queue="sales",
                ),
                self.event("hangup", "m2", T0 + 70, disposition="cancelled"),
                self.event(
                    "ringing",
                    "m3",
                    T0 + 80,
                    direction="inbound",
                    caller="+48 500 000 999",
                ),
                self.event("hangup", "m3", T0 + 90),
            ]
        )
        self.assertEqual(self.call("m2").activity_ids.user_id, self.manager)
        self.assertFalse(self.call("m3").activity_ids)
        self.assertTrue(self.call("m3").is_missed)
        # calling the customer back settles both missed calls
        self.post_events(
            [
                self.event(
                    "ringing",
                    "o1",
                    T0 + 600,
                    direction="outbound",
                    caller="101",
                    called="22 190 70 30",
                    extension="101",
                ),
                self.event("answered", "o1", T0 + 610),
                self.event("hangup", "o1", T0 + 700),
            ]
        )
        settled = missed | self.call("m1b") | self.call("m2")
        self.assertEqual(settled.mapped("is_called_back"), [True, True, True])
        self.assertFalse(settled.activity_ids)
        self.assertFalse(self.customer.activity_ids)

    def test_done_call_back_activity_settles_the_missed_call(self):
        missed = self.missed_call("m9", T0) | self.missed_call("m9b", T0 + 60)
        activity = self.customer.activity_ids
        self.assertEqual(activity.user_id, self.salesman)
        self.assertEqual(missed.mapped("is_called_back"), [False, False])
        # the salesperson has no telephony rights: the activity on the
        # customer's card is all they see; done, it settles both calls
        activity.with_user(self.salesman).action_feedback(feedback="Reached them")
        self.assertEqual(missed.mapped("is_called_back"), [True, True])
        self.assertFalse(self.customer.activity_ids)

    def test_call_back_activity_of_an_agent_opens_the_call(self):
        self.customer.user_id = self.other_agent
        missed = self.missed_call("m8", T0, extension="101")
        self.assertEqual(missed.activity_ids.user_id, self.other_agent)
        self.assertFalse(self.customer.activity_ids)
        # not their call, yet theirs to call back: they can open it
        Call = self.env["crm.pbx.call"].with_user(self.other_agent)
        self.assertEqual(Call.search([("id", "=", missed.id)]), missed)
        missed.with_user(self.other_agent).action_mark_called_back()
        self.assertTrue(missed.is_called_back)
        self.assertFalse(missed.activity_ids)
        self.assertFalse(Call.search([("id", "=", missed.id)]), "done: out of sight")

    def test_signed_event_and_replay(self):
        body = json.dumps(
            self.event("ringing", "s1", T0, direction="inbound", caller="+48221907030")
        ).encode()
        headers = self.signed_headers(body)
        first = self.post_events(None, token=False, headers=headers, raw=body)
        self.assertEqual(first.status_code, 200, first.text)
        replay = self.post_events(None, token=False, headers=headers, raw=body)
        self.assertEqual(replay.json()["status"], "duplicate")
        self.assertEqual(len(self.call("s1").event_ids), 1)
        stale = self.signed_headers(body, timestamp=time.time() - 301)
        response = self.post_events(None, token=False, headers=stale, raw=body)
        self.assertEqual(response.status_code, 401)


@tagged("post_install", "-at_install")
class TestConcurrentEvents(TransactionCase):
    """Events of one call posted at the same moment, each in its own
    transaction as parallel HTTP requests would be: one call, each event
    once, the state as far as the events go (the losers retry)."""

    def test_parallel_events_of_one_call(self):
        registry = self.env.registry
        with registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            pbx_id = env["crm.pbx"].create({"name": "Concurrent PBX"}).id
        self.addCleanup(self._remove_pbx, pbx_id)
        moments = [T0, T0 + 5, T0, T0 + 50]
        names = ["ringing", "answered", "ringing", "hangup"]
        barrier = threading.Barrier(len(names))
        results, errors = [], []

        def post(name, moment):
            event = {
                "name": name,
                "key": f"{name}-{moment}",
                "call_uid": "parallel-1",
                "date": datetime.fromtimestamp(moment, UTC).replace(tzinfo=None),
                "direction": "inbound",
                "caller_number": "+48221907030",
            }
            try:
                with registry.cursor() as cr:
                    env = api.Environment(cr, api.SUPERUSER_ID, {})
                    pbx = env["crm.pbx"].browse(pbx_id)

                    def ingest():
                        call, is_new = env["crm.pbx.call"]._ingest_event(pbx, event)
                        return call.id, is_new

                    barrier.wait(timeout=10)
                    results.append(retrying(ingest, env))
            except Exception as error:  # reported by the assertion below
                errors.append(error)

        threads = [
            threading.Thread(target=post, args=args)
            for args in zip(names, moments, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertFalse(errors)
        self.assertEqual(len({call_id for call_id, _new in results}), 1)
        self.assertEqual(
            sorted(is_new for _id, is_new in results), [False, True, True, True]
        )
        with registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            call = env["crm.pbx.call"].browse(results[0][0])
            self.assertEqual(call.state, "ended")
            self.assertEqual(call.talk_seconds, 45)
            self.assertEqual(len(call.event_ids), 3)

    def _remove_pbx(self, pbx_id):
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            env["crm.pbx.call"].search([("pbx_id", "=", pbx_id)]).unlink()
            env["crm.pbx"].browse(pbx_id).unlink()
