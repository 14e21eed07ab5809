#!/usr/bin/env python3
"""Asterisk AMI bridge for Odoo's crm_pbx: call events in, click-to-dial out.

Runs beside Asterisk (Python 3.10+, ``pip install panoramisk``; no Odoo code):

* connects to Asterisk's manager interface (AMI), reconnecting with an
  exponential backoff, and turns its events into crm_pbx call events:

  =============================================  ===============================
  AMI event                                      call event
  =============================================  ===============================
  Newchannel (first channel of a call)           ringing (the dialling extension)
  DialBegin to an extension                      ringing (the ringing extension)
  DialEnd ANSWER, else the first BridgeEnter     answered
  of two channels
  Hold / Unhold                                  hold / unhold
  BlindTransfer / AttendedTransfer (Success)     transferred (``transfer_to``)
  Hangup of the call's last channel              hangup (``disposition``)
  Cdr                                            cdr
  =============================================  ===============================

  The call id is the Asterisk ``Linkedid``, shared by every channel of a
  call. A call's disposition is ``answered`` once it was answered, else the
  last DialEnd status (BUSY, NOANSWER, CANCEL, CONGESTION/CHANUNAVAIL), else
  the hangup cause of its last channel.

  The direction is decided on the call's first channel: ``inbound`` when its
  context is one of ``--inbound-contexts`` or its name matches
  ``--trunk-pattern``; else ``internal`` when the dialled number is an
  extension (``--extension-pattern``); else ``outbound``.

* posts each event to Odoo (``POST /crm_pbx/<pbx_id>/events``, bearer
  token). Every event is first written to the spool directory, one file per
  event, fsynced, and deleted once Odoo accepted it (2xx): events survive
  Odoo being down and the bridge being restarted. Unreachable, 401, 408,
  429 and 5xx are retried with a backoff; any other 4xx means Odoo will never
  take that event: its file is moved to ``<spool>/rejected/`` and logged.

* places calls for Odoo's click-to-dial: ``POST /originate`` with
  ``{"extension": "101", "number": "+48221234567"}`` and the same bearer
  token, on ``--originate-listen``, becomes an AMI ``Originate`` that rings
  the extension first, then dials the number.

Every option can also be given by an environment variable (``--ami-secret``
is ``CRM_PBX_AMI_SECRET``); prefer the variables for the secrets.
"""

import argparse
import asyncio
import contextlib
import hmac
import json
import logging
import os
import random
import re
import signal
import time
import urllib.error
import urllib.request
import uuid
from collections import OrderedDict
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from panoramisk import Manager

_logger = logging.getLogger("crm_pbx_ami_bridge")

USER_AGENT = "crm-pbx-ami-bridge/1.0"
BATCH_SIZE = 100  # the most events Odoo takes in one request
RETRYABLE = {401, 408, 429}  # with 5xx: Odoo may take the event later
DIAL_STATUSES = {
    "ANSWER": "answered",
    "BUSY": "busy",
    "NOANSWER": "no_answer",
    "CANCEL": "cancelled",
    "CONGESTION": "failed",
    "CHANUNAVAIL": "failed",
}
CDR_DISPOSITIONS = {
    "ANSWERED": "answered",
    "NO ANSWER": "no_answer",
    "BUSY": "busy",
    "FAILED": "failed",
    "CONGESTION": "failed",
}
HANGUP_CAUSES = {16: "cancelled", 17: "busy", 18: "no_answer", 19: "no_answer"}
NOT_A_NUMBER = {"", "s", "<unknown>", "unknown", "anonymous"}
CDR_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
EXTENSION_FIELD = re.compile(r"^[0-9A-Za-z_.*#+-]{1,32}$")
DIALLABLE = re.compile(r"^\+?[0-9*#]{1,32}$")
NUMBER_PUNCTUATION = re.compile(r"[\s().\-/]")
HTTP_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


# --------------------------------------------------------------------- options
OPTIONS = [
    # (flag, default, help)
    ("--ami-host", "127.0.0.1", "Asterisk manager host"),
    ("--ami-port", "5038", "Asterisk manager port"),
    ("--ami-user", "crm", "manager.conf user"),
    ("--ami-secret", "", "manager.conf secret"),
    ("--odoo-url", "", "events URL: https://odoo.example.com/crm_pbx/1/events"),
    ("--token", "", "the PBX's token in Odoo (Telephony > Configuration > PBXs)"),
    ("--spool-dir", "/var/lib/crm-pbx-ami-bridge/spool", "events not yet in Odoo"),
    ("--originate-listen", "127.0.0.1:8070", "host:port for POST /originate, '' off"),
    ("--originate-channel", "PJSIP/{extension}", "channel rung first"),
    ("--originate-context", "from-internal", "dialplan context of the number"),
    ("--originate-priority", "1", "dialplan priority"),
    ("--originate-callerid", "{number} <{number}>", "caller id shown on the phone"),
    ("--originate-timeout", "30", "seconds the extension rings"),
    (
        "--inbound-contexts",
        "from-trunk,from-pstn,from-external,from-did-direct,inbound",
        "contexts where calls from outside start (comma-separated)",
    ),
    ("--trunk-pattern", "", "regex matching trunk channel names: inbound"),
    ("--extension-pattern", "^[0-9]{2,6}$", "regex matching internal extensions"),
    ("--cdr-timezone", "", "time zone of Cdr times (default: this host's)"),
    ("--retry-min", "1", "first delay (s) before retrying Odoo or the AMI"),
    ("--retry-max", "60", "longest delay (s) between retries"),
    ("--http-timeout", "15", "timeout (s) of a request to Odoo"),
    ("--log-level", "INFO", "DEBUG, INFO, WARNING, ERROR"),
]
INTEGERS = {"ami_port", "originate_priority", "originate_timeout"}
FLOATS = {"retry_min", "retry_max", "http_timeout"}


def parse_args(argv=None, environ=None):
    """Options from ``argv`` over ``CRM_PBX_<OPTION>`` variables over defaults."""
    environ = os.environ if environ is None else environ
    parser = argparse.ArgumentParser(
        prog="crm_pbx_ami_bridge",
        description="Asterisk AMI bridge for Odoo's crm_pbx (see the module doc).",
    )
    for flag, default, help_text in OPTIONS:
        variable = "CRM_PBX_" + flag[2:].replace("-", "_").upper()
        parser.add_argument(
            flag,
            default=environ.get(variable, default),
            help=f"{help_text} [{variable}]",
        )
    config = parser.parse_args(argv)
    for name in INTEGERS | FLOATS:
        kind = int if name in INTEGERS else float
        try:
            setattr(config, name, kind(getattr(config, name)))
        except ValueError:
            parser.error(f"--{name.replace('_', '-')} must be a number")
    for required in ("odoo_url", "token", "ami_secret"):
        if not getattr(config, required):
            parser.error(f"--{required.replace('_', '-')} is required")
    for template in ("originate_channel", "originate_callerid"):
        try:
            getattr(config, template).format(extension="101", number="+1")
        except (KeyError, IndexError, ValueError):
            parser.error(
                f"--{template.replace('_', '-')}: only {{extension}} and {{number}}"
            )
    for pattern in ("trunk_pattern", "extension_pattern"):
        try:
            re.compile(getattr(config, pattern))
        except re.error as error:
            parser.error(f"--{pattern.replace('_', '-')}: {error}")
    return config


class Backoff:
    """Exponential delays with a little jitter, back to the first after reset()."""

    def __init__(self, first, maximum):
        self.first, self.maximum = first, maximum
        self.current = first

    def next(self):
        delay = self.current
        self.current = min(self.current * 2, self.maximum)
        return delay * random.uniform(0.9, 1.1)

    def reset(self):
        self.current = self.first


# ------------------------------------------------------------------- AMI → calls
def endpoint(channel):
    """``PJSIP/101-0000002a`` and ``Local/101@from-internal-00000001;2``: ``101``."""
    name = (channel or "").partition("/")[2].split(";")[0]
    if "-" in name:
        name = name.rsplit("-", 1)[0]
    return name.split("@")[0]


class _Call:
    __slots__ = (
        "answered",
        "bridged",
        "called",
        "caller",
        "channels",
        "direction",
        "disposition",
        "extension",
    )

    def __init__(self, direction, caller, called, extension):
        self.direction, self.caller, self.called = direction, caller, called
        self.extension = extension  # the extension dialling out, or ringing
        self.channels = set()
        self.bridged = []  # extensions that entered a bridge, in order
        self.answered = False
        self.disposition = None


class CallTracker:
    """Follows AMI channels by Linkedid and says which call events they make.

    ``translate(ami_event)`` returns a list of call events (dicts of the
    crm_pbx API), often empty. Only what the events need is remembered: live
    calls, and the direction of the last ended ones for their Cdr.
    """

    REMEMBERED = 10000

    def __init__(self, config):
        self.inbound_contexts = {
            context.strip() for context in config.inbound_contexts.split(",")
        }
        self.trunk = re.compile(config.trunk_pattern) if config.trunk_pattern else None
        self.extension = re.compile(config.extension_pattern)
        self.cdr_timezone = (
            ZoneInfo(config.cdr_timezone) if config.cdr_timezone else None
        )
        self.calls = {}  # linkedid -> _Call, while the call lasts
        self.ended = OrderedDict()  # linkedid -> _Call, the last ended ones
        self.linkedids = OrderedDict()  # uniqueid -> linkedid

    def translate(self, ami):
        handler = getattr(self, "_on_" + (ami.get("Event") or "").lower(), None)
        return handler(ami) if handler else []

    # helpers
    def _is_extension(self, value):
        return bool(value) and bool(self.extension.match(value))

    def _extension_of(self, channel, number=None):
        for candidate in (endpoint(channel), number):
            if self._is_extension(candidate):
                return candidate
        return None

    def direction(self, channel, context, dialled):
        if context in self.inbound_contexts or (
            self.trunk and self.trunk.search(channel)
        ):
            return "inbound"
        return "internal" if self._is_extension(dialled) else "outbound"

    @staticmethod
    def _number(value):
        return None if (value or "").strip().lower() in NOT_A_NUMBER else value.strip()

    @staticmethod
    def _timestamp(ami):
        try:
            return float(ami.get("Timestamp"))
        except (TypeError, ValueError):
            return time.time()

    def _remember(self, mapping, key, value):
        mapping[key] = value
        while len(mapping) > self.REMEMBERED:
            mapping.popitem(last=False)

    def _event(self, name, ami, linkedid, call=None, **values):
        event = {
            "event": name,
            "event_id": uuid.uuid4().hex,
            "call_id": linkedid,
            "timestamp": self._timestamp(ami),
        }
        if call is not None:
            event.update(
                direction=call.direction, caller=call.caller, called=call.called
            )
        event.update(values)
        return [{key: value for key, value in event.items() if value is not None}]

    # events
    def _on_newchannel(self, ami):
        uniqueid, linkedid = (
            ami.get("Uniqueid"),
            ami.get("Linkedid") or ami.get("Uniqueid"),
        )
        self._remember(self.linkedids, uniqueid, linkedid)
        call = self.calls.get(linkedid)
        if call is not None:
            call.channels.add(uniqueid)
            return []
        channel, dialled = ami.get("Channel"), self._number(ami.get("Exten"))
        direction = self.direction(channel, ami.get("Context"), dialled)
        extension = None if direction == "inbound" else self._extension_of(channel)
        caller = self._number(ami.get("CallerIDNum")) or extension
        call = self.calls[linkedid] = _Call(direction, caller, dialled, extension)
        call.channels.add(uniqueid)
        return self._event("ringing", ami, linkedid, call, extension=extension)

    def _on_dialbegin(self, ami):
        linkedid = ami.get("Linkedid") or ami.get("DestLinkedid")
        call = self.calls.get(linkedid)
        extension = self._extension_of(
            ami.get("DestChannel"), ami.get("DestCallerIDNum")
        )
        if call is None or extension is None or extension == call.extension:
            return []  # a dial out to a trunk rings no extension of ours
        return self._event("ringing", ami, linkedid, call, extension=extension)

    def _on_dialend(self, ami):
        linkedid = ami.get("Linkedid") or ami.get("DestLinkedid")
        call = self.calls.get(linkedid)
        status = DIAL_STATUSES.get((ami.get("DialStatus") or "").upper())
        if call is None or status is None:
            return []
        if status != "answered":
            call.disposition = status
            return []
        call.answered = True
        extension = self._extension_of(
            ami.get("DestChannel"), ami.get("DestCallerIDNum")
        )
        if call.direction == "outbound" or extension is None:
            extension = call.extension
        return self._event("answered", ami, linkedid, call, extension=extension)

    def _on_bridgeenter(self, ami):
        linkedid = ami.get("Linkedid")
        call = self.calls.get(linkedid)
        if call is None:
            return []
        call.bridged.append(
            self._extension_of(ami.get("Channel"), ami.get("CallerIDNum"))
        )
        if call.answered or int(ami.get("BridgeNumChannels") or 0) < 2:
            return []
        call.answered = True
        talking = [ext for ext in call.bridged if ext and ext != call.extension]
        extension = call.extension
        if call.direction != "outbound" and talking:
            extension = talking[-1]
        return self._event("answered", ami, linkedid, call, extension=extension)

    def _on_hold(self, ami, name="hold"):
        linkedid = ami.get("Linkedid")
        extension = self._extension_of(ami.get("Channel"), ami.get("CallerIDNum"))
        return self._event(
            name, ami, linkedid, self.calls.get(linkedid), extension=extension
        )

    def _on_unhold(self, ami):
        return self._on_hold(ami, "unhold")

    def _on_blindtransfer(self, ami):
        if ami.get("Result") != "Success":
            return []
        linkedid = ami.get("TransfererLinkedid") or ami.get("TransfereeLinkedid")
        return self._event(
            "transferred",
            ami,
            linkedid,
            self.calls.get(linkedid),
            extension=self._extension_of(ami.get("TransfererChannel")),
            transfer_to=ami.get("Extension"),
        )

    def _on_attendedtransfer(self, ami):
        if ami.get("Result") != "Success":
            return []
        linkedid = ami.get("OrigTransfererLinkedid") or ami.get("TransfereeLinkedid")
        target = self._extension_of(
            ami.get("TransferTargetChannel"), ami.get("TransferTargetCallerIDNum")
        )
        return self._event(
            "transferred",
            ami,
            linkedid,
            self.calls.get(linkedid),
            extension=self._extension_of(ami.get("OrigTransfererChannel")),
            transfer_to=target,
        )

    def _on_hangup(self, ami):
        uniqueid = ami.get("Uniqueid")
        linkedid = ami.get("Linkedid") or self.linkedids.get(uniqueid, uniqueid)
        try:
            by_cause = HANGUP_CAUSES.get(int(ami.get("Cause") or 0), "failed")
        except ValueError:
            by_cause = "failed"
        call = self.calls.get(linkedid)
        if call is None:  # began before the bridge: end it with its first channel
            if uniqueid != linkedid:
                return []
            return self._event("hangup", ami, linkedid, disposition=by_cause)
        call.channels.discard(uniqueid)
        if call.channels:
            return []
        del self.calls[linkedid]
        self._remember(self.ended, linkedid, call)
        disposition = "answered" if call.answered else call.disposition or by_cause
        return self._event("hangup", ami, linkedid, call, disposition=disposition)

    def _cdr_time(self, value):
        try:
            moment = datetime.strptime(value or "", CDR_TIME_FORMAT)
        except ValueError:
            return None
        if self.cdr_timezone:
            return moment.replace(tzinfo=self.cdr_timezone).isoformat()
        return moment.astimezone().isoformat()  # the host's local time zone

    def _on_cdr(self, ami):
        uniqueid = ami.get("UniqueID")
        linkedid = ami.get("LinkedID") or self.linkedids.get(uniqueid, uniqueid)
        call = self.ended.get(linkedid) or self.calls.get(linkedid)
        channel, destination = ami.get("Channel"), ami.get("DestinationChannel")
        caller, called = (
            self._number(ami.get("Source")),
            self._number(ami.get("Destination")),
        )
        if call is not None:
            direction = call.direction
        else:
            direction = self.direction(channel, ami.get("DestinationContext"), called)
        disposition = CDR_DISPOSITIONS.get(
            (ami.get("Disposition") or "").upper(), "failed"
        )
        if call is not None and call.answered:
            disposition = "answered"  # one of several legs may not have been
        outside = direction == "outbound"
        extension = self._extension_of(channel if outside else destination)
        start, end = (
            self._cdr_time(ami.get("StartTime")),
            self._cdr_time(ami.get("EndTime")),
        )
        recording = ami.get("UserField") or ""
        return self._event(
            "cdr",
            {"Timestamp": ami.get("Timestamp")},
            linkedid,
            timestamp=end or start or self._timestamp(ami),
            direction=direction,
            caller=caller or (call and call.caller),
            called=called or (call and call.called),
            extension=extension or (call and call.extension),
            disposition=disposition,
            start=start,
            answer=self._cdr_time(ami.get("AnswerTime")),
            end=end,
            recording_url=recording
            if recording.startswith(("http://", "https://"))
            else None,
        )


# ------------------------------------------------------------------ spool, Odoo
class Spool:
    """One JSON file per event, named so that sorting them gives their order."""

    def __init__(self, directory):
        self.directory = Path(directory)
        self.rejected = self.directory / "rejected"
        self.rejected.mkdir(parents=True, exist_ok=True)
        for partial in self.directory.glob(".*.tmp"):  # never acknowledged
            partial.unlink()
        self._sequence = 0

    def put(self, event):
        self._sequence += 1
        name = f"{time.time_ns():020d}-{self._sequence:06d}-{uuid.uuid4().hex[:8]}.json"
        partial = self.directory / f".{name}.tmp"
        with open(partial, "wb") as file:
            file.write(json.dumps(event, separators=(",", ":")).encode())
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, self.directory / name)
        self._sync_directory()
        return self.directory / name

    def pending(self):
        return sorted(self.directory.glob("[0-9]*.json"))

    def done(self, path):
        path.unlink(missing_ok=True)

    def reject(self, path):
        os.replace(path, self.rejected / path.name)
        self._sync_directory()

    def _sync_directory(self):
        descriptor = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def post_events(url, token, events, timeout):
    """POST events to Odoo: (HTTP status or None if unreachable, response text)."""
    request = urllib.request.Request(
        url,
        data=json.dumps(events).encode(),
        method="POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")
    except (OSError, ValueError) as error:  # URLError, refused, timeout
        return None, str(getattr(error, "reason", error))


# --------------------------------------------------------------------- AMI link
class _AmiManager(Manager):
    """panoramisk's Manager, reconnecting with an exponential backoff."""

    def __init__(self, backoff, **config):
        super().__init__(**config)
        self.backoff = backoff
        self.closing = False
        self._reconnect_handle = None

    def connection_made(self, f):
        if f.cancelled():
            return
        if f.exception() is not None:
            self.log.warning(
                "AMI %s:%s unreachable: %s",
                self.config["host"],
                self.config["port"],
                f.exception(),
            )
            self._reconnect_later()
            return
        super().connection_made(f)

    def login(self, future):
        authenticated = super().login(future)
        if authenticated:
            self.log.info("AMI logged in as %s", self.config["username"])
            self.backoff.reset()
        else:
            self.log.error("AMI login refused for user %s", self.config["username"])
            self.protocol.close()
            self._reconnect_later()
        return authenticated

    def connection_lost(self, exc):
        self._connected = self.authenticated = False
        if self.pinger:
            self.pinger.cancel()
            self.pinger = None
        if not self.closing:
            self.log.warning("AMI connection lost")
            self._reconnect_later()

    def _reconnect_later(self):
        if self.closing or self._reconnect_handle is not None:
            return
        delay = self.backoff.next()
        self.log.info("AMI: connecting again in %.1f s", delay)
        self._reconnect_handle = self.loop.call_later(delay, self._reconnect)

    def _reconnect(self):
        self._reconnect_handle = None
        self.connect()

    def close(self):
        self.closing = True
        if self._reconnect_handle is not None:
            self._reconnect_handle.cancel()
        result = super().close()
        return result


# ----------------------------------------------------------------------- bridge
class Bridge:
    """The AMI link, the spool and its sender, and the originate listener."""

    def __init__(self, config, logger=_logger):
        self.config = config
        self.log = logger
        self.tracker = CallTracker(config)
        self.spool = Spool(config.spool_dir)
        self.manager = None
        self.delivered = 0  # events Odoo accepted
        self.originate_port = None
        self._wakeup = asyncio.Event()
        self._sender = None
        self._http = None

    async def start(self):
        config = self.config
        self.manager = _AmiManager(
            Backoff(config.retry_min, config.retry_max),
            host=config.ami_host,
            port=config.ami_port,
            username=config.ami_user,
            secret=config.ami_secret,
            loop=asyncio.get_running_loop(),
            log=self.log.getChild("ami"),
        )
        self.manager.register_event("*", self._on_ami_event)
        self.manager.connect()
        self._sender = asyncio.create_task(self._deliver())
        if config.originate_listen:
            host, _sep, port = config.originate_listen.rpartition(":")
            self._http = await asyncio.start_server(
                self._serve_http, host or None, int(port)
            )
            self.originate_port = self._http.sockets[0].getsockname()[1]
            self.log.info("originate requests on %s:%s", host, self.originate_port)

    async def stop(self):
        if self._http is not None:
            self._http.close()
            await self._http.wait_closed()
        if self._sender is not None:
            self._sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sender
        if self.manager is not None:
            self.manager.close()

    async def run_forever(self):
        stopping = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stopping.set)
        await self.start()
        await stopping.wait()
        self.log.info(
            "stopping; %d event(s) left in the spool", len(self.spool.pending())
        )
        await self.stop()

    # AMI → spool
    def _on_ami_event(self, _manager, message):
        try:
            events = self.tracker.translate(message)
        except Exception:  # one odd event must not stop the bridge
            self.log.exception("could not read AMI event %r", message)
            return
        for event in events:
            self.spool.put(event)
            self.log.debug("spooled %s", event)
        if events:
            self._wakeup.set()

    # spool → Odoo
    async def _deliver(self):
        backoff = Backoff(self.config.retry_min, self.config.retry_max)
        while True:
            self._wakeup.clear()
            try:
                paths = self.spool.pending()[:BATCH_SIZE]
                if not paths:
                    await self._wakeup.wait()
                    continue
                sent = await self._send(paths)
            except OSError:  # the spool's disk: keep trying, loudly
                self.log.exception("spool %s unusable", self.spool.directory)
                sent = False
            if sent:
                backoff.reset()
            else:
                await asyncio.sleep(backoff.next())

    async def _send(self, paths):
        """Send these spooled events; False if Odoo should be tried again later."""
        events = []
        for path in paths:
            try:
                events.append(json.loads(path.read_text()))
            except (OSError, ValueError):
                self.log.error("unreadable spool file %s moved to rejected/", path.name)
                self.spool.reject(path)
                return True
        config = self.config
        status, text = await asyncio.to_thread(
            post_events, config.odoo_url, config.token, events, config.http_timeout
        )
        if status is not None and 200 <= status < 300:
            for path in paths:
                self.spool.done(path)
            self.delivered += len(paths)
            return True
        if status is None or status in RETRYABLE or status >= 500:
            self.log.warning(
                "Odoo did not take %d event(s) (%s: %s); %d kept in %s",
                len(paths),
                status or "unreachable",
                text[:300],
                len(self.spool.pending()),
                self.spool.directory,
            )
            return False
        if len(paths) > 1:  # find which one Odoo refuses
            for path in paths:
                if not await self._send([path]):
                    return False
            return True
        self.log.error(
            "Odoo refused event %s for good (%s: %s); moved to %s",
            paths[0].name,
            status,
            text[:300],
            self.spool.rejected,
        )
        self.spool.reject(paths[0])
        return True

    # Odoo → AMI Originate
    async def originate(self, extension, number):
        """Ring ``extension``, then dial ``number``: (HTTP status, JSON answer)."""
        if self.manager is None or not self.manager.authenticated:
            return 503, {"error": "not connected to Asterisk", "field": None}
        config = self.config
        values = {"extension": extension, "number": number}
        action = {
            "Action": "Originate",
            "Channel": config.originate_channel.format(**values),
            "Context": config.originate_context,
            "Exten": number,
            "Priority": str(config.originate_priority),
            "CallerID": config.originate_callerid.format(**values),
            "Timeout": str(config.originate_timeout * 1000),
            "Async": "true",
        }
        try:
            response = await asyncio.wait_for(
                self.manager.send_action(action, as_list=False), config.http_timeout
            )
        except asyncio.TimeoutError:
            return 504, {"error": "Asterisk did not answer", "field": None}
        if not response.success:
            message = response.get("Message") or "Originate refused"
            return 502, {"error": f"Asterisk: {message}", "field": None}
        self.log.info("originate %s -> %s", extension, number)
        return 200, {"status": "queued", "action_id": response.get("ActionID")}

    async def _serve_http(self, reader, writer):
        try:
            request = await asyncio.wait_for(
                self._read_request(reader), self.config.http_timeout
            )
            status, answer = await self._answer_request(*request)
        except (asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError):
            status, answer = 400, {"error": "malformed request", "field": None}
        except ConnectionError:
            writer.close()
            return
        body = json.dumps(answer).encode()
        reason = HTTP_REASONS.get(status, "")
        writer.write(
            f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body
        )
        with contextlib.suppress(ConnectionError):
            await writer.drain()
        writer.close()

    @staticmethod
    async def _read_request(reader):
        """(method, path, headers, body) of a small HTTP/1.1 request."""
        method, path, _version = (await reader.readline()).decode("latin-1").split()
        headers = {}
        while line := (await reader.readline()).decode("latin-1").strip():
            if len(headers) == 50:
                raise ValueError("too many headers")
            name, _sep, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length") or 0)
        if not 0 <= length <= 4096:
            raise ValueError("body too large")
        return method, path, headers, await reader.readexactly(length)

    async def _answer_request(self, method, path, headers, body):
        if path.split("?")[0] != "/originate":
            return 404, {"error": "no such path", "field": None}
        if method != "POST":
            return 405, {"error": "POST only", "field": None}
        sent = headers.get("authorization", "").encode()
        if not hmac.compare_digest(sent, f"Bearer {self.config.token}".encode()):
            return 401, {"error": "missing or wrong token", "field": None}
        try:
            payload = json.loads(body)
        except ValueError:
            return 400, {"error": "body is not JSON", "field": "body"}
        if not isinstance(payload, dict):
            return 400, {"error": "body is not a JSON object", "field": "body"}
        extension = str(payload.get("extension") or "")
        number = NUMBER_PUNCTUATION.sub("", str(payload.get("number") or ""))
        if not EXTENSION_FIELD.match(extension):
            return 400, {"error": "invalid extension", "field": "extension"}
        if not DIALLABLE.match(number):
            return 400, {"error": "invalid number", "field": "number"}
        return await self.originate(extension, number)


def main(argv=None):
    config = parse_args(argv)
    logging.basicConfig(
        level=config.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    asyncio.run(Bridge(config).run_forever())


if __name__ == "__main__":
    main()
