import base64
import hashlib
import hmac
import ipaddress
import json
import logging
import re
import secrets
from typing import NamedTuple
from urllib.parse import quote

import requests

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import ormcache

from odoo.addons.crm_parties.tools.phone import normalize_phone

_logger = logging.getLogger(__name__)

SIGNATURE_WINDOW = 300  # seconds a signed request stays valid (replays)
ORIGINATE_TIMEOUT = 10
# the originate templates' placeholders; other braces (a JSON body's) stay
ORIGINATE_PLACEHOLDER = re.compile(r"\{(extension|number|number_e164|token)\}")


def _new_token(_records=None):
    return secrets.token_urlsafe(32)


def _fill(template, values):
    return ORIGINATE_PLACEHOLDER.sub(lambda match: values[match[1]], template)


class PbxSettings(NamedTuple):
    """What the PBX's requests need of its record (``crm.pbx._get_settings``)."""

    active: bool
    token: str
    networks: tuple
    company_id: int
    country_code: str | bool


class CrmPbx(models.Model):
    """A telephone exchange that posts call events and asks who is calling."""

    _name = "crm.pbx"
    _inherit = ["crm.pbx.settings.mixin"]
    _description = "PBX"
    _order = "sequence, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(
        [
            ("asterisk", "Asterisk (AMI bridge)"),
            ("freeswitch", "FreeSWITCH"),
            ("3cx", "3CX"),
            ("kamailio", "Kamailio"),
            ("other", "Other"),
        ],
        required=True,
        default="asterisk",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    country_id = fields.Many2one(
        "res.country",
        string="Default country",
        default=lambda self: self.env.company.country_id,
        help="Country of the numbers the PBX sends without an international " "prefix.",
    )
    token = fields.Char(
        copy=False,
        default=_new_token,
        required=True,
        groups="crm_pbx.group_pbx_manager",
        help="The PBX's secret: sent as a bearer token or used as the key of "
        "the HMAC-SHA256 signature.",
    )
    allowed_ips = fields.Text(
        string="Allowed addresses",
        help="Addresses or networks (one per line, e.g. 192.0.2.10 or "
        "10.0.0.0/24) the PBX may call from. Empty: any address.",
    )
    silent_call_hours = fields.Integer(
        string="End silent calls after (hours)",
        default=12,
        help="A call in progress of which the PBX has said nothing for this "
        "long (its hang-up was lost) is ended by Odoo at its last known time, "
        "so that it leaves the live board. 0: never.",
    )
    extension_ids = fields.One2many("crm.pbx.extension", "pbx_id")
    queue_ids = fields.One2many("crm.pbx.queue", "pbx_id")
    originate_method = fields.Selection(
        [("POST", "POST"), ("GET", "GET")], default="POST", required=True
    )
    originate_url = fields.Char(
        string="Originate URL",
        help="Click-to-dial request. Placeholders: {extension}, {number}, "
        "{number_e164}, {token}. For Asterisk: the AMI bridge's /originate.",
    )
    originate_headers = fields.Text(
        help="JSON object of request headers, placeholders allowed, e.g. "
        '{"Authorization": "Bearer {token}"}.',
    )
    originate_body = fields.Text(
        help="Request body for POST, placeholders allowed, e.g. "
        '{"extension": "{extension}", "number": "{number_e164}"}.',
    )
    event_url = fields.Char(compute="_compute_urls", string="Call events URL")
    lookup_url = fields.Char(compute="_compute_urls", string="Caller lookup URL")
    setup_examples = fields.Html(compute="_compute_urls", sanitize=False)
    call_count = fields.Integer(compute="_compute_call_count")

    _sql_constraints = [
        ("token_unique", "unique(token)", "Each PBX needs its own token."),
    ]

    @api.depends("kind")
    def _compute_urls(self):
        base_url = self.get_base_url()
        for pbx in self:
            pbx.event_url = f"{base_url}/crm_pbx/{pbx.id or 0}/events"
            pbx.lookup_url = f"{base_url}/crm_pbx/{pbx.id or 0}/lookup?number="
            pbx.setup_examples = self.env["ir.qweb"]._render(
                "crm_pbx.pbx_setup_examples",
                {"pbx": pbx, "event_url": pbx.event_url, "lookup_url": pbx.lookup_url},
            )

    def _compute_call_count(self):
        counts = dict(
            self.env["crm.pbx.call"]._read_group(
                [("pbx_id", "in", self.ids)], ["pbx_id"], ["__count"]
            )
        )
        for pbx in self:
            pbx.call_count = counts.get(pbx, 0)

    @api.constrains("allowed_ips")
    def _check_allowed_ips(self):
        for pbx in self:
            try:
                pbx._allowed_networks()
            except ValueError as error:
                raise ValidationError(
                    self.env._(
                        "%(pbx)s: %(error)s is not an address or network.",
                        pbx=pbx.name,
                        error=error,
                    )
                ) from error

    @api.constrains("silent_call_hours")
    def _check_silent_call_hours(self):
        if any(pbx.silent_call_hours < 0 for pbx in self):
            raise ValidationError(
                self.env._(
                    "The hours after which silent calls end cannot be negative "
                    "(0: never)."
                )
            )

    @api.constrains("originate_headers")
    def _check_originate_headers(self):
        for pbx in self.filtered("originate_headers"):
            try:
                headers = json.loads(pbx.originate_headers)
            except ValueError:
                headers = None
            if not isinstance(headers, dict):
                raise ValidationError(
                    self.env._(
                        "The originate headers of %(pbx)s must be a JSON object.",
                        pbx=pbx.name,
                    )
                )

    def _allowed_networks(self):
        lines = (self.allowed_ips or "").replace(",", "\n").splitlines()
        return [
            ipaddress.ip_network(line.strip(), strict=False)
            for line in lines
            if line.strip()
        ]

    def action_regenerate_token(self):
        for pbx in self:
            pbx.token = _new_token()

    def action_view_calls(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_pbx.crm_pbx_call_action"
        )
        action["domain"] = [("pbx_id", "in", self.ids)]
        action["context"] = {}
        return action

    # Requests from the PBX --------------------------------------------------

    @api.model
    @ormcache("pbx_id")
    def _get_settings(self, pbx_id):
        """The PBX's settings its requests need (``PbxSettings``), or None for
        no such PBX: cached per PBX id, so that a request of the PBX does not
        query them (every change of a PBX clears the cache, in every worker)."""
        pbx = (
            self.sudo()
            .with_context(active_test=False)
            .search_fetch(
                [("id", "=", pbx_id)],
                ["active", "token", "allowed_ips", "company_id", "country_id"],
            )
        )
        if not pbx:
            return None
        return PbxSettings(
            active=pbx.active,
            token=pbx.token,
            networks=tuple(pbx._allowed_networks()),
            company_id=pbx.company_id.id,
            country_code=pbx.country_id.code or False,
        )

    def _settings(self):
        self.ensure_one()
        return self._get_settings(self.id)

    def _accepts_address(self, address):
        networks = self._settings().networks
        if not networks:
            return True
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in networks)

    def _authenticate(self, authorization, timestamp, signature, signed_part, now):
        """Whether the request carries this PBX's secret (constant time).

        ``signed_part`` is the body of a POST or the query string of a GET;
        ``now`` the server's Unix time, against replays of old signatures.
        """
        token = self._settings().token.encode()
        if authorization:
            scheme, _sep, credentials = authorization.partition(" ")
            return scheme.lower() == "bearer" and hmac.compare_digest(
                credentials.strip().encode(), token
            )
        if not (timestamp and signature):
            return False
        try:
            age = abs(now - int(timestamp))
        except ValueError:
            return False
        if age > SIGNATURE_WINDOW:
            return False
        digest = hmac.new(token, timestamp.encode() + signed_part, hashlib.sha256)
        expected = digest.digest()
        signature = signature.strip()
        if signature.lower().startswith("sha256="):
            signature = signature[7:]
        candidates = [digest.hexdigest().encode()]
        for encoded in (
            base64.b64encode(expected),
            base64.urlsafe_b64encode(expected),
        ):
            candidates += [encoded, encoded.rstrip(b"=")]
        given = signature.encode()
        # compare against every accepted encoding, without stopping early
        matches = [hmac.compare_digest(given.lower(), candidates[0])] + [
            hmac.compare_digest(given, candidate) for candidate in candidates[1:]
        ]
        return any(matches)

    def _normalize(self, number):
        return normalize_phone(number, self._settings().country_code)

    # Click-to-dial -----------------------------------------------------------

    def _originate(self, extension, number):
        """Ask the PBX to connect ``extension`` to ``number``."""
        self.ensure_one()
        if not self.originate_url:
            raise UserError(
                self.env._(
                    "%(pbx)s has no originate URL: ask an administrator to set "
                    "up click-to-dial.",
                    pbx=self.name,
                )
            )
        number_e164 = self._normalize(number) or ""
        values = {
            "extension": extension,
            "number": number,
            "number_e164": number_e164,
            "token": self.sudo().token,
        }
        # "+" quoted too: in a query string a bare "+" reads as a space
        url_values = {key: quote(value, safe="") for key, value in values.items()}
        url = _fill(self.originate_url, url_values)
        headers = {
            key: _fill(str(value), values)
            for key, value in json.loads(self.originate_headers or "{}").items()
        }
        body = None
        if self.originate_method == "POST" and self.originate_body:
            json_values = {
                key: json.dumps(value)[1:-1] for key, value in values.items()
            }
            body = _fill(self.originate_body, json_values).encode()
        try:
            response = requests.request(
                self.originate_method,
                url,
                headers=headers,
                data=body,
                timeout=ORIGINATE_TIMEOUT,
            )
        except requests.RequestException as error:
            _logger.info("Originate request to %s failed: %s", self.name, error)
            raise UserError(
                self.env._(
                    "The PBX %(pbx)s could not be reached to dial %(number)s.",
                    pbx=self.name,
                    number=number,
                )
            ) from error
        if not response.ok:
            raise UserError(
                self.env._(
                    "The PBX %(pbx)s refused to dial %(number)s (HTTP %(status)s).",
                    pbx=self.name,
                    number=number,
                    status=response.status_code,
                )
            )
        return True
