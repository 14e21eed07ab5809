import json

from odoo.tests import tagged

from .common import PbxHttpCase

T0 = 1767261600  # 2026-01-01 10:00:00 UTC


@tagged("post_install", "-at_install")
class TestApiInput(PbxHttpCase):
    """Wrong credentials and wrong input are refused clearly; nothing stored."""

    def setUp(self):
        super().setUp()
        self.ringing = self.event(
            "ringing", "x1", T0, direction="inbound", caller="+48221907030"
        )

    def assertRefused(self, response, status, field=None):
        self.assertEqual(response.status_code, status, response.text)
        self.assertTrue(response.headers["Content-Type"].startswith("application/json"))
        body = response.json()
        self.assertTrue(body["error"])
        self.assertNotIn("Traceback", body["error"])
        if field:
            self.assertEqual(body["field"], field, body["error"])
        self.assertFalse(
            self.env["crm.pbx.call.event"].search([("pbx_id", "=", self.pbx.id)]),
            "nothing is stored",
        )

    def test_credentials(self):
        self.assertRefused(self.post_events(self.ringing, token=False), 401)
        self.assertRefused(self.post_events(self.ringing, token="not-the-token"), 401)
        other = self.env["crm.pbx"].create({"name": "Branch PBX"})
        self.assertRefused(
            self.post_events(self.ringing, token=other.token),
            401,
        )
        self.assertRefused(self.post_events(self.ringing, pbx=other), 401)
        body = json.dumps(self.ringing).encode()
        forged = self.signed_headers(body, token="guessed")
        self.assertRefused(
            self.post_events(None, token=False, headers=forged, raw=body), 401
        )
        altered = self.signed_headers(body)
        tampered = body.replace(b"+48221907030", b"+48221907031")
        self.assertRefused(
            self.post_events(None, token=False, headers=altered, raw=tampered), 401
        )
        self.assertRefused(
            self.post_events(
                None,
                token=False,
                headers={**altered, "X-CRM-PBX-Timestamp": "soon"},
                raw=body,
            ),
            401,
        )
        self.pbx.active = False
        self.assertRefused(self.post_events(self.ringing), 404)
        response = self.url_open(
            "/crm_pbx/999999/events",
            data=body,
            headers={"Authorization": f"Bearer {self.token}"},
        )
        self.assertRefused(response, 404)

    def test_not_an_endpoint_answers_json(self):
        bearer = {"Authorization": f"Bearer {self.token}"}
        for path in ("/crm_pbx/abc/lookup?number=1", "/crm_pbx/-1/events",
                     f"/crm_pbx/{self.pbx.id}/calls"):  # fmt: skip
            self.assertRefused(self.url_open(path, headers=bearer), 404)
        response = self.url_open(f"/crm_pbx/{self.pbx.id}/events", headers=bearer)
        self.assertRefused(response, 405)
        self.assertEqual(response.headers["Allow"], "POST")
        response = self.url_open(
            f"/crm_pbx/{self.pbx.id}/lookup?number=1", data=b"{}", headers=bearer
        )
        self.assertRefused(response, 405)
        self.assertEqual(response.headers["Allow"], "GET")

    def test_allow_list(self):
        self.pbx.allowed_ips = "192.0.2.0/24\n198.51.100.7"
        self.assertRefused(self.post_events(self.ringing), 403)
        self.assertRefused(self.lookup("+48221907030"), 403)
        self.pbx.allowed_ips = "10.0.0.0/8, 127.0.0.1"
        self.assertEqual(self.post_events(self.ringing).status_code, 200)

    def test_malformed_bodies(self):
        for raw, field in (
            (b"{not json", "body"),
            (b"\xff\xfe", "body"),
            (b"[]", "body"),
            (b"42", "body"),
            (json.dumps([self.ringing] * 101).encode(), "body"),
            (b'{"event": "ringing", "call_id": "' + b"9" * 70000 + b'"}', "body"),
        ):
            with self.subTest(raw=raw[:40]):
                self.assertRefused(self.post_events(None, raw=raw), 400, field)

    def test_wrong_fields(self):
        cases = [
            ({"event": "exploded"}, "event"),
            ({"event": None}, "event"),
            ({"call_id": ""}, "call_id"),
            ({"call_id": 17}, "call_id"),
            ({"call_id": "x" * 129}, "call_id"),
            ({"timestamp": "yesterday"}, "timestamp"),
            ({"timestamp": 10**12}, "timestamp"),
            ({"timestamp": -1}, "timestamp"),
            ({"timestamp": True}, "timestamp"),
            ({"timestamp": "2999-01-01T00:00:00Z"}, "timestamp"),
            ({"direction": "sideways"}, "direction"),
            ({"caller": "1" * 65}, "caller"),
            ({"caller": ["+48", "22"]}, "caller"),
            ({"caller": "+48\x00221907030"}, "caller"),
            ({"disposition": "maybe"}, "disposition"),
            ({"recording_url": "javascript:alert(1)"}, "recording_url"),
        ]
        for change, field in cases:
            with self.subTest(change=change):
                self.assertRefused(
                    self.post_events({**self.ringing, **change}), 400, field
                )
        missing = dict(self.ringing)
        del missing["direction"]
        self.assertRefused(self.post_events(missing), 400, "direction")
        self.assertRefused(
            self.post_events(self.event("transferred", "x1", T0)), 400, "transfer_to"
        )
        self.assertRefused(
            self.post_events(self.event("cdr", "x1", T0, direction="inbound")),
            400,
            "end",
        )

    def test_one_bad_event_refuses_the_whole_batch(self):
        batch = [self.ringing, {**self.ringing, "event": "answered", "timestamp": "?"}]
        self.assertRefused(self.post_events(batch), 400, "timestamp")
        self.assertFalse(self.call("x1"))

    def test_lookup_input(self):
        self.assertRefused(self.lookup("+48221907030", token="wrong"), 401)
        self.assertRefused(self.lookup(""), 400, "number")
        self.assertRefused(self.lookup("9" * 65), 400, "number")
        self.assertRefused(self.lookup("+48221907030", output="xml"), 400, "format")
        # anything else is a number nobody has: an empty answer, not an error
        for number in ("anonymous", "+0", "12", "+48 999 999 999"):
            with self.subTest(number=number):
                response = self.lookup(number)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.json()["matches"], [])
