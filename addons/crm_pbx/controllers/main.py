import hashlib
import json
import re
import threading
import time
from datetime import UTC, datetime, timedelta

from odoo import http
from odoo.http import request

MAX_BODY_BYTES = 64 * 1024
MAX_BATCH = 100
# the routes of the API, without their PBX id: their methods
ROUTE_METHODS = {"events": "POST", "lookup": "GET"}
EVENT_NAMES = ("ringing", "answered", "hold", "unhold", "transferred", "hangup", "cdr")
DIRECTIONS = ("inbound", "outbound", "internal")
DISPOSITIONS = ("answered", "no_answer", "busy", "failed", "cancelled")
EARLIEST = datetime(2000, 1, 1)
FUTURE_TOLERANCE = timedelta(days=1)
TEXT_LIMITS = {
    "call_id": 128,
    "event_id": 128,
    "caller": 64,
    "called": 64,
    "extension": 32,
    "queue": 64,
    "transfer_to": 32,
    "recording_url": 1024,
}


class PbxRequestError(Exception):
    def __init__(self, status, message, field=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field


def _text(item, key, required=False):
    value = item.get(key)
    if value is None or value == "":
        if required:
            raise PbxRequestError(
                400, request.env._("%(field)s is required.", field=key), key
            )
        return None
    if not isinstance(value, str) or len(value) > TEXT_LIMITS[key]:
        raise PbxRequestError(
            400,
            request.env._(
                "%(field)s must be a text of at most %(limit)s characters.",
                field=key,
                limit=TEXT_LIMITS[key],
            ),
            key,
        )
    if not value.isprintable():
        raise PbxRequestError(
            400,
            request.env._("%(field)s contains control characters.", field=key),
            key,
        )
    return value


def _choice(item, key, choices, required=False):
    value = item.get(key)
    if value is None and not required:
        return None
    if value not in choices:
        raise PbxRequestError(
            400,
            request.env._(
                "%(field)s must be one of: %(choices)s.",
                field=key,
                choices=", ".join(choices),
            ),
            key,
        )
    return value


def _time(item, key, now, required=False):
    """A Unix time or ISO 8601 date-time, as naive UTC, within sane bounds."""
    value = item.get(key)
    if value is None and not required:
        return None
    moment = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            moment = datetime.fromtimestamp(value, UTC).replace(tzinfo=None)
        except (OverflowError, OSError, ValueError):
            moment = None
    elif isinstance(value, str) and len(value) <= 40:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment and moment.tzinfo:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
    if moment is None or not EARLIEST <= moment <= now + FUTURE_TOLERANCE:
        raise PbxRequestError(
            400,
            request.env._(
                "%(field)s must be a Unix time or an ISO 8601 date-time "
                "between 2000 and tomorrow.",
                field=key,
            ),
            key,
        )
    return moment


def _parse_event(item, now):
    """The event's values for crm.pbx.call._ingest_event, or a 400."""
    if not isinstance(item, dict):
        raise PbxRequestError(
            400, request.env._("An event must be a JSON object."), "body"
        )
    name = _choice(item, "event", EVENT_NAMES, required=True)
    event = {
        "name": name,
        "call_uid": _text(item, "call_id", required=True),
        "date": _time(item, "timestamp", now, required=True),
        "direction": _choice(
            item, "direction", DIRECTIONS, required=name in ("ringing", "cdr")
        ),
        "caller_number": _text(item, "caller"),
        "called_number": _text(item, "called"),
        "extension": _text(item, "extension"),
        "queue": _text(item, "queue"),
        "transfer_to": _text(item, "transfer_to", required=name == "transferred"),
        "disposition": _choice(item, "disposition", DISPOSITIONS),
        "recording_url": _text(item, "recording_url"),
        "start": _time(item, "start", now),
        "answer": _time(item, "answer", now),
        "end": _time(item, "end", now),
    }
    url = event["recording_url"]
    if url and not url.startswith(("https://", "http://")):
        raise PbxRequestError(
            400,
            request.env._("recording_url must be an http(s) address."),
            "recording_url",
        )
    if name == "cdr" and not event["end"]:
        raise PbxRequestError(
            400, request.env._("A call detail record needs its end."), "end"
        )
    event_id = _text(item, "event_id")
    identity = event_id or "\x1f".join(
        str(event[key] or "")
        for key in ("name", "call_uid", "date", "extension", "transfer_to")
    )
    event["key"] = hashlib.sha256(identity.encode()).hexdigest()
    return event


def _server_timing(response):
    """Tell the PBX (and benchmarks) how long Odoo worked on the request:
    ``Server-Timing: app;dur=<ms since it came in>, db;dur=<ms in SQL>``."""
    thread = threading.current_thread()
    start = getattr(thread, "perf_t0", None)
    if start is not None:
        response.headers["Server-Timing"] = (
            f"app;dur={(time.time() - start) * 1000:.3f}, "
            f"db;dur={getattr(thread, 'query_time', 0) * 1000:.3f}"
        )
    return response


class PbxController(http.Controller):
    """The endpoints a PBX calls: events in, caller identification out."""

    def _error(self, error):
        return request.make_json_response(
            {"error": error.message, "field": error.field}, status=error.status
        )

    def _authorized_pbx(self, pbx_id, signed_part):
        """The active PBX of the URL if the request carries its secret, in
        its company. What authenticating it reads is cached: no query."""
        Pbx = request.env["crm.pbx"].sudo()
        settings = Pbx._get_settings(pbx_id) if 0 < pbx_id < 2**31 else None
        if not (settings and settings.active):
            raise PbxRequestError(404, request.env._("There is no such PBX."))
        pbx = Pbx.browse(pbx_id).with_company(settings.company_id)
        httprequest = request.httprequest
        if not pbx._accepts_address(httprequest.remote_addr):
            raise PbxRequestError(
                403, request.env._("This address may not call this PBX's API.")
            )
        headers = httprequest.headers
        if not pbx._authenticate(
            headers.get("Authorization"),
            headers.get("X-CRM-PBX-Timestamp"),
            headers.get("X-CRM-PBX-Signature"),
            signed_part,
            time.time(),
        ):
            raise PbxRequestError(
                401, request.env._("Missing or wrong token or signature.")
            )
        return pbx

    def _read_body(self):
        """The request's body, refused when over the limit; a declared
        length over it is refused before anything is read."""
        httprequest = request.httprequest
        declared = httprequest.content_length or 0
        body = httprequest.get_data() if declared <= MAX_BODY_BYTES else b""
        if max(declared, len(body)) > MAX_BODY_BYTES:
            raise PbxRequestError(
                400,
                request.env._(
                    "The body is larger than %(limit)s bytes.", limit=MAX_BODY_BYTES
                ),
                "body",
            )
        return body

    @http.route(
        "/crm_pbx/<int:pbx_id>/events",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def post_events(self, pbx_id, **kwargs):
        try:
            body = self._read_body()
            pbx = self._authorized_pbx(pbx_id, body)
            try:
                payload = json.loads(body)
            except (ValueError, UnicodeDecodeError) as error:
                raise PbxRequestError(
                    400, request.env._("The body is not valid JSON."), "body"
                ) from error
            items = payload if isinstance(payload, list) else [payload]
            if not 1 <= len(items) <= MAX_BATCH:
                raise PbxRequestError(
                    400,
                    request.env._(
                        "Send between 1 and %(limit)s events at once.",
                        limit=MAX_BATCH,
                    ),
                    "body",
                )
            now = datetime.now(UTC).replace(tzinfo=None)
            # every event is checked before any is stored: all or nothing
            events = [_parse_event(item, now) for item in items]
        except PbxRequestError as error:
            return self._error(error)
        Call = pbx.env["crm.pbx.call"]
        results = []
        for event in events:
            call, is_new = Call._ingest_event(pbx, event)
            results.append({"status": "ok" if is_new else "duplicate", "call": call.id})
        return _server_timing(
            request.make_json_response(
                results if isinstance(payload, list) else results[0]
            )
        )

    @http.route(
        "/crm_pbx/<int:pbx_id>/lookup",
        type="http",
        auth="public",
        methods=["GET"],
        csrf=False,
        save_session=False,
    )
    def lookup(self, pbx_id, number=None, **kwargs):
        try:
            pbx = self._authorized_pbx(pbx_id, request.httprequest.query_string)
            number = _text({"caller": number}, "caller", required=True)
            output = _choice(
                {"format": kwargs.get("format", "json")}, "format", ("json", "text")
            )
        except PbxRequestError as error:
            if error.field == "caller":
                error.field = "number"
                error.message = request.env._(
                    "number must be a text of 1 to 64 characters."
                )
            return self._error(error)
        number_e164 = pbx._normalize(number)
        partners = pbx.env["res.partner"]._crm_pbx_match(number_e164, pbx.env.company)
        # what the answer shows, in two queries (the matches, their companies)
        partners.fetch(["name", "is_company", "parent_id", "commercial_partner_id"])
        partners.commercial_partner_id.fetch(["name"])
        name = partners[:1]._crm_pbx_caller_name() if partners else ""
        if output == "text":
            return _server_timing(
                request.make_response(
                    name, headers=[("Content-Type", "text/plain; charset=utf-8")]
                )
            )
        response = request.make_json_response(
            {
                "number": number,
                "e164": number_e164,
                "name": name,
                "matches": [
                    {
                        "id": partner.id,
                        "name": partner.name or "",
                        "is_company": partner.is_company,
                        "company_id": partner.commercial_partner_id.id
                        if partner.parent_id
                        else None,
                        "company": partner.commercial_partner_id.name
                        if partner.parent_id
                        else None,
                    }
                    for partner in partners
                ],
            }
        )
        return _server_timing(response)

    @http.route(
        "/crm_pbx/<path:path>",
        type="http",
        auth="public",
        csrf=False,
        save_session=False,
    )
    def not_an_endpoint(self, path, **kwargs):
        """A JSON error for what the two routes do not take (a PBX id that
        is no number, another path, another method) instead of a web page."""
        match = re.fullmatch(r"\d+/(events|lookup)", path)
        if match:
            response = self._error(
                PbxRequestError(405, request.env._("This method is not allowed."))
            )
            response.headers["Allow"] = ROUTE_METHODS[match.group(1)]
            return response
        return self._error(PbxRequestError(404, request.env._("There is no such PBX.")))
