"""The Asterisk AMI bridge (bridge/crm_pbx_ami_bridge.py) against Odoo.

The bridge reads recorded AMI streams from a stand-in Asterisk
(``fake_ami.FakeAmi``, 127.0.0.1, a free port) and posts its events to this
Odoo's real HTTP server; the tests check the calls Odoo made of them. The
bridge's own log (WARNING when Odoo or Asterisk is away) is captured with
``assertLogs``, so that the expected ones do not reach Odoo's log; its level
is given as a number, since Odoo names its level 25 "INFO" too.
"""

import asyncio
import importlib.util
import json
import logging
import shutil
import socket
import tempfile
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime
from unittest import skipUnless

from odoo.exceptions import UserError
from odoo.tests import BaseCase, tagged
from odoo.tools.misc import file_path

from .common import PbxHttpCase
from .fake_ami import FakeAmi

INBOUND = "1700000000.1"  # Linkedid of the recorded calls
OUTBOUND = "1700000100.10"
HAS_PANORAMISK = importlib.util.find_spec("panoramisk") is not None


def load_bridge():
    path = file_path("crm_pbx/bridge/crm_pbx_ami_bridge.py")
    spec = importlib.util.spec_from_file_location("crm_pbx_ami_bridge", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@tagged("post_install", "-at_install")
@skipUnless(HAS_PANORAMISK, "panoramisk is not installed (requirements.txt)")
class TestAmiBridge(PbxHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bridge_module = load_bridge()

    def setUp(self):
        super().setUp()
        self.spool_dir = tempfile.mkdtemp(prefix="crm_pbx_spool_")
        self.addCleanup(shutil.rmtree, self.spool_dir, ignore_errors=True)

    # helpers
    def events_url(self, base_url=None):
        return f"{base_url or self.base_url()}/crm_pbx/{self.pbx.id}/events"

    def make_bridge(self, ami, odoo_url=None, token=None):
        config = self.bridge_module.parse_args(
            [
                f"--ami-port={ami.port}",
                "--ami-secret=ami-secret",
                f"--odoo-url={odoo_url or self.events_url()}",
                f"--token={token or self.token}",
                f"--spool-dir={self.spool_dir}",
                "--originate-listen=",
                "--retry-min=0.05",
                "--retry-max=0.2",
                "--cdr-timezone=UTC",
            ],
            environ={},
        )
        return self.bridge_module.Bridge(config)

    async def until(self, condition, what, timeout=30):
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                self.fail(f"timed out waiting for {what}")
            await asyncio.sleep(0.02)

    def run_bridge(self, recordings, until, what, **bridge_args):
        """Play ``recordings`` to a new bridge until ``until(ami, bridge)``."""

        async def scenario():
            ami = await FakeAmi(*recordings).start()
            bridge = self.make_bridge(ami, **bridge_args)
            await bridge.start()
            try:
                await self.until(lambda: until(ami, bridge), what)
            finally:
                await bridge.stop()
                await ami.stop()
            return ami, bridge

        # the HTTP server works on this test's cursor meanwhile: hand it over
        self.env.flush_all()
        try:
            return asyncio.run(scenario())
        finally:
            self.env.invalidate_all()

    def spooled(self):
        return [json.loads(path.read_text()) for path in self.spooled_paths()]

    def spooled_paths(self):
        return self.bridge_module.Spool(self.spool_dir).pending()

    # tests
    def test_inbound_call_survives_a_connection_dropped_mid_event(self):
        with self.assertLogs("crm_pbx_ami_bridge", logging.INFO) as logs:
            ami, bridge = self.run_bridge(
                ["inbound_call_part1.txt", "inbound_call_part2.txt"],
                lambda ami, bridge: bridge.delivered >= 10
                and not bridge.spool.pending(),
                "the 10 events of the inbound call in Odoo",
            )
        self.assertEqual(ami.connections, 2, "the bridge connected again")
        self.assertEqual(len(ami.actions_named("Login")), 2)
        self.assertIn("AMI connection lost", "\n".join(logs.output))
        self.assertEqual(bridge.delivered, 10)
        call = self.call(INBOUND)
        self.assertRecordValues(
            call,
            [
                {
                    "direction": "inbound",
                    "state": "ended",
                    "caller_number": "+48601234567",
                    "called_number": "48221234500",
                    "partner_id": self.person.id,
                    # answered by 101, on hold, blind-transferred to 102
                    "extension_id": self.pbx.extension_ids.filtered(
                        lambda ext: ext.name == "102"
                    ).id,
                    "user_id": self.other_agent.id,
                    "date_start": datetime(2023, 11, 14, 22, 13, 20),
                    "date_answer": datetime(2023, 11, 14, 22, 13, 26),
                    "date_end": datetime(2023, 11, 14, 22, 15, 20),
                    "disposition": "answered",
                    "recording_url": "https://pbx.example.com/recordings/"
                    "1700000000.1.wav",
                }
            ],
        )
        self.assertEqual(
            sorted(call.event_ids.mapped("name")),
            sorted(
                ["ringing"] * 3
                + ["answered"] * 2
                + ["hold", "unhold", "transferred", "hangup", "cdr"]
            ),
        )

    def test_events_kept_on_disk_while_odoo_refuses_then_delivered(self):
        wrong_token = "not-the-token"
        with self.assertLogs("crm_pbx_ami_bridge", logging.INFO) as logs:
            # Odoo down: the call's three events wait on disk
            self.run_bridge(
                ["outbound_call.txt"],
                lambda ami, bridge: len(bridge.spool.pending()) == 3
                and "unreachable" in "\n".join(logs.output),
                "3 events spooled and a failed delivery",
                odoo_url=self.events_url(f"http://127.0.0.1:{closed_port()}"),
            )
            self.assertEqual(
                [event["event"] for event in self.spooled()],
                ["ringing", "hangup", "cdr"],
            )
            self.assertFalse(self.call(OUTBOUND))
            # a wrong token is not the events' fault: they stay too
            self.run_bridge(
                ["login_only.txt"],
                lambda ami, bridge: "(401:" in "\n".join(logs.output),
                "Odoo refusing the token",
                token=wrong_token,
            )
            self.assertEqual(len(self.spooled_paths()), 3)
            self.assertFalse(self.call(OUTBOUND))
            # a new bridge on the same spool delivers them
            _ami, bridge = self.run_bridge(
                ["login_only.txt"],
                lambda ami, bridge: not bridge.spool.pending(),
                "the spool emptied into Odoo",
            )
        self.assertEqual(bridge.delivered, 3)
        self.assertRecordValues(
            self.call(OUTBOUND),
            [
                {
                    "direction": "outbound",
                    "state": "ended",
                    "caller_number": "101",
                    "called_number": "221907030",
                    "partner_id": self.customer.id,
                    "user_id": self.agent.id,
                    "date_start": datetime(2023, 11, 14, 22, 15),
                    "date_answer": False,
                    "date_end": datetime(2023, 11, 14, 22, 15, 4),
                    "disposition": "busy",
                }
            ],
        )

    def test_event_odoo_refuses_for_good_is_moved_aside(self):
        spool = self.bridge_module.Spool(self.spool_dir)
        bad = spool.put(
            {
                "event": "ringing",
                "call_id": "bad-1",
                "timestamp": 1700000300,
                "direction": "sideways",
            }
        )
        spool.put(
            {
                "event": "ringing",
                "call_id": "good-1",
                "timestamp": 1700000300,
                "direction": "inbound",
                "caller": "+48221907030",
            }
        )
        with self.assertLogs("crm_pbx_ami_bridge", logging.INFO) as logs:
            _ami, bridge = self.run_bridge(
                ["login_only.txt"],
                lambda ami, bridge: not bridge.spool.pending(),
                "the spool emptied",
            )
        self.assertEqual(bridge.delivered, 1)
        self.assertEqual([path.name for path in spool.rejected.iterdir()], [bad.name])
        refused = [record for record in logs.records if record.levelname == "ERROR"]
        self.assertEqual(len(refused), 1)
        self.assertIn("direction", refused[0].getMessage())
        self.assertTrue(self.call("good-1"))
        self.assertFalse(self.call("bad-1"))


@tagged("post_install", "-at_install")
@skipUnless(HAS_PANORAMISK, "panoramisk is not installed (requirements.txt)")
class TestAmiBridgeOriginate(PbxHttpCase):
    """Odoo's click-to-dial through the bridge's /originate to AMI Originate.

    The bridge runs in an event loop of its own thread, so that this thread
    can call Odoo's dial action as a user would.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bridge_module = load_bridge()

    def setUp(self):
        super().setUp()
        spool_dir = tempfile.mkdtemp(prefix="crm_pbx_spool_")
        self.addCleanup(shutil.rmtree, spool_dir, ignore_errors=True)
        self.loop = asyncio.new_event_loop()
        thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        thread.start()
        capture = self.assertLogs("crm_pbx_ami_bridge", logging.INFO)
        self.logs = capture.__enter__()
        self.addCleanup(capture.__exit__, None, None, None)

        async def start():
            ami = await FakeAmi("login_only.txt").start()
            config = self.bridge_module.parse_args(
                [
                    f"--ami-port={ami.port}",
                    "--ami-secret=ami-secret",
                    f"--odoo-url=http://127.0.0.1:{closed_port()}/crm_pbx/1/events",
                    f"--token={self.token}",
                    f"--spool-dir={spool_dir}",
                    "--originate-listen=127.0.0.1:0",
                    "--originate-context=from-crm",
                ],
                environ={},
            )
            bridge = self.bridge_module.Bridge(config)
            await bridge.start()
            return ami, bridge

        self.ami, self.bridge = self.in_loop(start())

        def stop():
            self.in_loop(self.bridge.stop())
            self.in_loop(self.ami.stop())
            self.loop.call_soon_threadsafe(self.loop.stop)
            thread.join(10)
            self.loop.close()

        self.addCleanup(stop)
        deadline = time.monotonic() + 10
        while not self.bridge.manager.authenticated:
            self.assertLess(time.monotonic(), deadline, "the bridge logged in")
            time.sleep(0.02)
        self.pbx.write(
            {
                "kind": "asterisk",
                "originate_url": f"http://127.0.0.1:{self.bridge.originate_port}"
                "/originate",
                "originate_method": "POST",
                "originate_headers": json.dumps(
                    {
                        "Authorization": "Bearer {token}",
                        "Content-Type": "application/json",
                    }
                ),
                "originate_body": '{"extension": "{extension}", '
                '"number": "{number_e164}"}',
            }
        )

    def in_loop(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(20)

    def post_originate(self, payload, token):
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.bridge.originate_port}/originate",
            data=json.dumps(payload).encode(),
            headers={"Authorization": f"Bearer {token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def test_dial_from_odoo_sends_ami_originate(self):
        action = (
            self.env["crm.pbx.call"].with_user(self.agent).action_dial("601 234 567")
        )
        self.assertEqual(action["tag"], "display_notification")
        originates = self.ami.actions_named("Originate")
        self.assertEqual(len(originates), 1)
        originate = originates[0]
        self.assertEqual(
            {key: value for key, value in originate.items() if key != "ActionID"},
            {
                "Action": "Originate",
                "Channel": "PJSIP/101",
                "Context": "from-crm",
                "Exten": "+48601234567",
                "Priority": "1",
                "CallerID": "+48601234567 <+48601234567>",
                "Timeout": "30000",
                "Async": "true",
            },
        )
        self.assertIn("originate 101 -> +48601234567", "\n".join(self.logs.output))

    def test_originate_refuses_wrong_token_and_bad_input(self):
        payload = {"extension": "101", "number": "+48 22 190-70-30"}
        self.assertEqual(self.post_originate(payload, "wrong")[0], 401)
        status, answer = self.post_originate(
            dict(payload, number="22 190 70 30; x"), self.token
        )
        self.assertEqual((status, answer["field"]), (400, "number"))
        status, answer = self.post_originate(
            dict(payload, extension="1 0 1"), self.token
        )
        self.assertEqual((status, answer["field"]), (400, "extension"))
        with socket.create_connection(
            ("127.0.0.1", self.bridge.originate_port)
        ) as sock:
            sock.sendall(b"NONSENSE\r\n\r\n")
            self.assertTrue(sock.recv(100).startswith(b"HTTP/1.1 400 Bad Request"))
        self.assertFalse(self.ami.actions_named("Originate"))
        status, answer = self.post_originate(payload, self.token)
        self.assertEqual((status, answer["status"]), (200, "queued"))
        self.assertEqual(
            self.ami.actions_named("Originate")[0]["Exten"], "+48221907030"
        )

    def test_dial_while_asterisk_is_away_is_a_clear_error(self):
        self.in_loop(self.ami.stop())  # Asterisk goes away
        deadline = time.monotonic() + 10
        while self.bridge.manager.authenticated:
            self.assertLess(time.monotonic(), deadline, "the bridge saw it")
            time.sleep(0.02)
        with self.assertRaises(UserError) as caught:
            self.env["crm.pbx.call"].with_user(self.agent).action_dial("601234567")
        self.assertIn("HTTP 503", str(caught.exception))


@skipUnless(HAS_PANORAMISK, "panoramisk is not installed (requirements.txt)")
class TestCallTracker(BaseCase):
    """How AMI events become call events, without Asterisk or Odoo."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bridge_module = load_bridge()

    def tracker(self, *options):
        config = self.bridge_module.parse_args(
            ["--ami-secret=s", "--odoo-url=http://odoo/e", "--token=t", *options],
            environ={},
        )
        return self.bridge_module.CallTracker(config)

    def newchannel(self, channel, context, exten, uniqueid, linkedid, number):
        return {
            "Event": "Newchannel",
            "Channel": channel,
            "Context": context,
            "Exten": exten,
            "CallerIDNum": number,
            "Uniqueid": uniqueid,
            "Linkedid": linkedid,
            "Timestamp": "1700000000.5",
        }

    def test_direction_from_context_trunk_and_dialled_number(self):
        tracker = self.tracker("--trunk-pattern=^PJSIP/operator-")
        cases = [
            ("PJSIP/operator-00000001", "from-internal", "221907030", "inbound"),
            ("PJSIP/gw-00000002", "from-pstn", "221907030", "inbound"),
            ("PJSIP/101-00000003", "from-internal", "102", "internal"),
            ("PJSIP/101-00000004", "from-internal", "0048221907030", "outbound"),
        ]
        for index, (channel, context, exten, direction) in enumerate(cases):
            uid = f"1700000000.{index}"
            [event] = tracker.translate(
                self.newchannel(channel, context, exten, uid, uid, "101")
            )
            self.assertEqual(
                (event["event"], event["direction"]), ("ringing", direction)
            )
            self.assertEqual(event.get("extension"), None if index < 2 else "101")

    def test_attended_transfer_names_the_target_extension(self):
        tracker = self.tracker()
        tracker.translate(
            self.newchannel(
                "PJSIP/101-0a", "from-internal", "0221907030", "9.1", "9.1", "101"
            )
        )
        [event] = tracker.translate(
            {
                "Event": "AttendedTransfer",
                "Result": "Success",
                "OrigTransfererChannel": "PJSIP/101-0a",
                "OrigTransfererLinkedid": "9.1",
                "TransferTargetChannel": "PJSIP/103-0c",
                "TransferTargetCallerIDNum": "103",
                "Timestamp": "1700000010",
            }
        )
        self.assertEqual(
            {
                key: event[key]
                for key in ("event", "call_id", "extension", "transfer_to")
            },
            {
                "event": "transferred",
                "call_id": "9.1",
                "extension": "101",
                "transfer_to": "103",
            },
        )
        self.assertEqual(
            tracker.translate(
                {
                    "Event": "AttendedTransfer",
                    "Result": "Fail",
                    "OrigTransfererLinkedid": "9.1",
                }
            ),
            [],
        )

    def test_endpoint_of_channel_names(self):
        endpoint = self.bridge_module.endpoint
        self.assertEqual(endpoint("PJSIP/101-0000002a"), "101")
        self.assertEqual(endpoint("PJSIP/trunk-provider-0000002b"), "trunk-provider")
        self.assertEqual(endpoint("Local/101@from-internal-00000001;2"), "101")
        self.assertEqual(endpoint("SIP/alice-00000003"), "alice")
