"""Real SIP traffic, end to end.

SIPp places calls through the example Kamailio proxy
(``examples/kamailio/kamailio.cfg``) to a SIPp phone; Kamailio asks this Odoo
who is calling and posts the call's events, exactly as in production::

    SIPp caller --INVITE--> Kamailio --INVITE, From "<name>"--> SIPp callee
                               |   GET  /crm_pbx/<id>/lookup  (the name)
                               |   POST /crm_pbx/<id>/events  (ringing,
                               v        answered, hangup)
                         Odoo's test HTTP server (inside the test transaction)

The callee checks the From display name itself and refuses the call when it
is not the expected one. Kamailio and SIPp come from Debian's packages
(``kamailio``, ``kamailio-utils-modules``, ``sip-tester``), which ``./crm
test`` installs; without them the tests are skipped.
"""

import contextlib
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest
import uuid
from pathlib import Path

from odoo.tests import tagged

from .common import PbxHttpCase

TESTS = Path(__file__).resolve().parent
KAMAILIO_CFG = TESTS.parent / "examples" / "kamailio" / "kamailio.cfg"
SIPP_SCENARIOS = TESTS / "sipp"
HTTP_CLIENT_MODULE = (
    "/usr/lib/*/kamailio/modules/http_client.so",
    "/usr/lib/kamailio/modules/http_client.so",
    "/usr/local/lib*/kamailio/modules/http_client.so",
)
HOST = "127.0.0.1"
DID = "48225550100"  # a called number that is not an extension
EXTENSION = "101"  # where Kamailio sends the calls to DID (DEFAULT_EXTENSION)
TALK_MS = 1500
CALL_TIMEOUT = 60  # seconds SIPp may take for one call before it fails


def _missing_programs():
    missing = [name for name in ("kamailio", "sipp") if not shutil.which(name)]
    if not any(glob.glob(pattern) for pattern in HTTP_CLIENT_MODULE):
        missing.append("Kamailio's http_client module (kamailio-utils-modules)")
    return missing


def _free_udp_ports(count):
    """``count`` distinct free ports (all held at once while chosen)."""
    with contextlib.ExitStack() as stack:
        probes = [
            stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
            for _i in range(count)
        ]
        for probe in probes:
            probe.bind((HOST, 0))
        return [probe.getsockname()[1] for probe in probes]


def _udp_port_taken(port):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.bind((HOST, port))
        except OSError:
            return True
    return False


@tagged("post_install", "-at_install")
class TestSipEndToEnd(PbxHttpCase):
    @classmethod
    def setUpClass(cls):
        missing = _missing_programs()
        if missing:
            raise unittest.SkipTest(
                f"SIP end-to-end tests need {', '.join(missing)} "
                "(Debian: kamailio kamailio-utils-modules sip-tester)"
            )
        super().setUpClass()
        cls.pbx.write({"kind": "kamailio", "allowed_ips": HOST})
        cls.extension = cls.pbx.extension_ids.filtered(
            lambda extension: extension.name == EXTENSION
        )

    def setUp(self):
        super().setUp()
        self.workdir = Path(tempfile.mkdtemp(prefix="crm_pbx_sip_"))
        self.addCleanup(shutil.rmtree, self.workdir, ignore_errors=True)
        self.sip_port, self.callee_port, self.caller_port = _free_udp_ports(3)
        self.kamailio = None
        self.outputs = {}

    # Processes -----------------------------------------------------------

    def _start(self, name, args):
        """Start ``args`` in its own process group; cleanup always ends it."""
        output = (self.workdir / f"{name}.out").open("wb")
        self.addCleanup(output.close)
        process = subprocess.Popen(
            args,
            cwd=self.workdir,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.outputs[name] = self.workdir / f"{name}.out"
        self.addCleanup(self._stop, process)
        return process

    def _stop(self, process):
        # returncode is None until the process is reaped: its group id cannot
        # belong to anything else yet, and its children are in the group
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def _logs(self):
        """The tails of every output, for a failure's message."""
        parts = []
        for path in [*self.outputs.values(), *sorted(self.workdir.glob("*.log"))]:
            text = path.read_text(errors="replace") if path.exists() else ""
            parts.append(f"--- {path.name}\n{text[-4000:]}")
        return "\n".join(parts)

    def _start_kamailio(self):
        """The example proxy, with this test's Odoo, PBX, token and ports."""
        config = self.workdir / "kamailio.cfg"
        shutil.copyfile(KAMAILIO_CFG, config)
        runtime = self.workdir / "run"
        runtime.mkdir()
        defines = {
            "ODOO_URL": f'"{self.base_url()}"',
            "PBX_ID": f'"{self.pbx.id}"',
            "PBX_TOKEN": f'"{self.token}"',
            "SIP_ADDR": HOST,
            "SIP_PORT": str(self.sip_port),
            "UAS_ADDR": f'"{HOST}:{self.callee_port}"',
            "DEFAULT_EXTENSION": f'"{EXTENSION}"',
            "RING_TIMEOUT": "10000",
            "HTTP_TIMEOUT": "30",
            "WORKERS": "2",
        }
        args = ["kamailio", "-f", str(config), "-DD", "-E", "-m", "64", "-M", "8"]
        args += ["-Y", str(runtime), "-P", str(runtime / "kamailio.pid")]
        for name, value in defines.items():
            args += ["-A", f"{name}={value}"]
        # what Kamailio's requests will read: the PBX, its extensions, partners
        self.env.flush_all()
        self.kamailio = self._start("kamailio", args)
        self._wait_for_kamailio()

    def _wait_for_kamailio(self):
        """Until the proxy answers an OPTIONS (with 405: it takes calls only)."""
        deadline = time.monotonic() + 30
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.bind((HOST, 0))
            probe.settimeout(0.3)
            local_port = probe.getsockname()[1]
            attempt = 0
            while time.monotonic() < deadline:
                if self.kamailio.poll() is not None:
                    break
                attempt += 1
                probe.sendto(
                    (
                        f"OPTIONS sip:probe@{HOST}:{self.sip_port} SIP/2.0\r\n"
                        f"Via: SIP/2.0/UDP {HOST}:{local_port};"
                        f"branch=z9hG4bK-probe-{attempt}\r\n"
                        "Max-Forwards: 70\r\n"
                        f"From: <sip:probe@{HOST}>;tag=probe\r\n"
                        f"To: <sip:probe@{HOST}>\r\n"
                        f"Call-ID: probe-{attempt}@{HOST}\r\n"
                        "CSeq: 1 OPTIONS\r\n"
                        "Content-Length: 0\r\n\r\n"
                    ).encode(),
                    (HOST, self.sip_port),
                )
                try:
                    reply = probe.recv(4096)
                except TimeoutError:
                    continue
                if reply.startswith(b"SIP/2.0 "):
                    return
        self.fail(f"Kamailio did not start.\n{self._logs()}")

    def _wait_until_bound(self, process, port):
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and process.poll() is None:
            if _udp_port_taken(port):
                return
            time.sleep(0.1)
        self.fail(f"SIPp did not start on port {port}.\n{self._logs()}")

    def place_call(
        self,
        caller,
        called,
        callee="callee.xml",
        expected_name=None,
        caller_scenario="caller.xml",
    ):
        """One real call from ``caller`` to ``called``; return its Call-ID.

        ``callee`` is the phone's scenario: callee.xml answers if the From
        display name is ``expected_name`` ("" for none), callee_busy.xml
        answers 486 Busy Here, callee_ringing.xml rings until cancelled.
        ``caller_scenario``: caller.xml talks for TALK_MS (or takes the 486),
        caller_cancel.xml gives up after ringing for TALK_MS. Both SIPp sides
        must succeed.
        """
        if not self.kamailio:
            self._start_kamailio()
        sipp = ["sipp", "-m", "1", "-i", HOST, "-nostdin", "-trace_err"]
        sipp += ["-timeout", f"{CALL_TIMEOUT}s", "-timeout_error"]
        callee_args = [*sipp, "-sf", str(SIPP_SCENARIOS / callee)]
        callee_args += ["-p", str(self.callee_port), "-trace_logs"]
        if expected_name is not None:
            callee_args += ["-set", "expected_name", expected_name]
        callee_process = self._start("callee", callee_args)
        self._wait_until_bound(callee_process, self.callee_port)
        call_id = f"{uuid.uuid4().hex}-%u@%s"
        caller_args = [*sipp, "-sf", str(SIPP_SCENARIOS / caller_scenario)]
        caller_args += ["-p", str(self.caller_port), "-cid_str", call_id]
        caller_args += ["-key", "caller", caller, "-s", called, "-d", str(TALK_MS)]
        caller_args.append(f"{HOST}:{self.sip_port}")
        caller_process = self._start("caller", caller_args)
        statuses = (
            caller_process.wait(timeout=CALL_TIMEOUT + 30),
            callee_process.wait(timeout=30),
        )
        self.assertEqual(statuses, (0, 0), f"a SIPp side failed\n{self._logs()}")
        # the events are posted before the final SIP messages are relayed;
        # their requests' threads may still be closing
        self._wait_remaining_requests()
        self.env.invalidate_all()
        return call_id.replace("%u", "1").replace("%s", HOST)

    # Tests -----------------------------------------------------------------

    def test_answered_call_from_a_known_number_named_and_stored(self):
        call_id = self.place_call(
            "601234567", DID, expected_name=self.person._crm_pbx_caller_name()
        )
        call = self.call(call_id)
        self.assertRecordValues(
            call,
            [
                {
                    "direction": "inbound",
                    "state": "ended",
                    "disposition": "answered",
                    "caller_number": "601234567",
                    "called_number": DID,
                    "number_e164": "+48601234567",
                    "partner_id": self.person.id,
                    "extension_id": self.extension.id,
                    "user_id": self.agent.id,
                    "is_missed": False,
                }
            ],
        )
        self.assertTrue(call.date_start <= call.date_answer <= call.date_end)
        self.assertGreater(call.talk_seconds, 0)
        self.assertEqual(
            call.event_ids.mapped("name"), ["ringing", "answered", "hangup"]
        )

    def test_busy_callee_stored_as_busy(self):
        call_id = self.place_call("601234567", EXTENSION, callee="callee_busy.xml")
        self.assertRecordValues(
            self.call(call_id),
            [
                {
                    "direction": "inbound",
                    "state": "ended",
                    "disposition": "busy",
                    "called_number": EXTENSION,
                    "partner_id": self.person.id,
                    "extension_id": self.extension.id,
                    "date_answer": False,
                    "talk_seconds": 0,
                    "is_missed": True,
                }
            ],
        )

    def test_caller_giving_up_while_ringing_stored_as_cancelled(self):
        call_id = self.place_call(
            "601234567",
            EXTENSION,
            callee="callee_ringing.xml",
            caller_scenario="caller_cancel.xml",
        )
        call = self.call(call_id)
        self.assertRecordValues(
            call,
            [
                {
                    "direction": "inbound",
                    "state": "ended",
                    "disposition": "cancelled",
                    "partner_id": self.person.id,
                    "extension_id": self.extension.id,
                    "date_answer": False,
                    "is_missed": True,
                }
            ],
        )
        self.assertGreater(call.wait_seconds, 0)

    def test_unknown_number_has_no_name_and_the_call_is_stored(self):
        number = "+48600700800"
        self.assertEqual(self.lookup(number, output="text").text, "")
        # the callee refuses the call if Kamailio put any display name
        call_id = self.place_call(number, DID, expected_name="")
        call = self.call(call_id)
        self.assertRecordValues(
            call,
            [
                {
                    "direction": "inbound",
                    "state": "ended",
                    "disposition": "answered",
                    "caller_number": number,
                    "number_e164": number,
                    "partner_id": False,
                    "extension_id": self.extension.id,
                }
            ],
        )
        self.assertGreater(call.talk_seconds, 0)

    def test_replayed_signed_event_changes_nothing(self):
        call_id = self.place_call("601234567", EXTENSION, callee="callee_busy.xml")
        call = self.call(call_id)
        # the PBX's own record of the call, signed, then sent once more as is
        payload = self.event(
            "cdr",
            call_id,
            time.time(),
            direction="inbound",
            caller="601234567",
            called=EXTENSION,
            extension=EXTENSION,
            disposition="busy",
            start=call.date_start.isoformat(),
            end=call.date_end.isoformat(),
        )
        body = json.dumps(payload).encode()
        headers = self.signed_headers(body)
        first = self.post_events(None, token=False, headers=headers, raw=body)
        self.assertEqual(first.status_code, 200, first.text)
        self.assertEqual(first.json(), {"status": "ok", "call": call.id})
        self.env.invalidate_all()
        fields = ["state", "disposition", "date_start", "date_answer", "date_end"]
        fields += ["partner_id", "extension_id", "user_id", "write_date"]
        before = call.read(fields)
        counts = self._counts(call)

        replay = self.post_events(None, token=False, headers=headers, raw=body)

        self.assertEqual(replay.status_code, 200, replay.text)
        self.assertEqual(replay.json(), {"status": "duplicate", "call": call.id})
        self.env.invalidate_all()
        self.assertEqual(call.read(fields), before)
        self.assertEqual(self._counts(call), counts)

    def _counts(self, call):
        return {
            "calls": self.env["crm.pbx.call"].search_count(
                [("pbx_id", "=", self.pbx.id)]
            ),
            "events": len(call.event_ids),
            "messages": len(call.message_ids),
            "activities": len(call.activity_ids),
        }
