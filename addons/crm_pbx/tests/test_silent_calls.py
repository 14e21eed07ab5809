from datetime import datetime, timedelta

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import PbxHttpCase

T0 = 1767261600  # 2026-01-01 10:00:00 UTC
START = datetime(2026, 1, 1, 10, 0, 0)


@tagged("post_install", "-at_install")
class TestSilentCalls(PbxHttpCase):
    """A call whose hang-up never comes leaves the live board after a while."""

    def silence(self, call, hours):
        """As if the PBX had said nothing of ``call`` for ``hours`` hours."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_pbx_call SET write_date = %s WHERE id = %s",
            (datetime.now() - timedelta(hours=hours), call.id),
        )
        call.invalidate_recordset(["write_date"])

    def ring(self, call_id, *later_events):
        self.post_events(
            [
                self.event(
                    "ringing",
                    call_id,
                    T0,
                    direction="inbound",
                    caller="+48221907030",
                    extension="101",
                ),
                *later_events,
            ]
        )
        return self.call(call_id)

    def test_silent_calls_end_at_their_last_known_time(self):
        ringing = self.ring("s1")
        talking = self.ring("s2", self.event("answered", "s2", T0 + 15))
        recent = self.ring("s3")
        self.silence(ringing, 13)
        self.silence(talking, 13)
        self.silence(recent, 11)

        self.env["crm.pbx.call"]._cron_end_silent_calls()

        self.assertRecordValues(
            ringing | talking | recent,
            [
                {
                    "state": "ended",
                    "date_end": START,
                    "disposition": "no_answer",
                    "is_missed": True,
                },
                {
                    "state": "ended",
                    "date_end": START + timedelta(seconds=15),
                    "disposition": "answered",
                    "is_missed": False,
                },
                {
                    "state": "ringing",
                    "date_end": False,
                    "disposition": False,
                    "is_missed": False,
                },
            ],
        )
        # no event is made up; the call says why it ended
        self.assertEqual(len(ringing.event_ids), 1)
        self.assertIn(
            "said nothing of this call for 12 hours", ringing.message_ids[0].body
        )
        # a missed customer call still asks its owner to call back
        self.assertEqual(self.customer.activity_ids.user_id, self.salesman)
        self.assertNotIn(
            ringing.id, [c["id"] for c in self.env["crm.pbx.call"].get_live_calls()]
        )

    def test_call_record_after_the_silence_puts_the_real_times(self):
        call = self.ring("s4")
        self.silence(call, 13)
        self.env["crm.pbx.call"]._cron_end_silent_calls()
        self.assertTrue(call.is_missed)
        self.assertTrue(self.customer.activity_ids)
        self.post_events(self.answered_cdr("s4", "+48221907030", T0, T0 + 20, T0 + 320))
        call.invalidate_recordset()
        self.assertRecordValues(
            call,
            [
                {
                    "state": "ended",
                    "talk_seconds": 300,
                    "disposition": "answered",
                    "is_missed": False,
                }
            ],
        )
        # answered after all: nobody is asked to call back any more
        self.assertFalse(self.customer.activity_ids)

    def test_zero_hours_never_ends_a_call(self):
        self.pbx.silent_call_hours = 0
        call = self.ring("s5")
        self.silence(call, 1000)
        self.env["crm.pbx.call"]._cron_end_silent_calls()
        self.assertEqual(call.state, "ringing")

    def test_negative_hours_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.pbx.silent_call_hours = -1
            self.pbx.flush_recordset()
