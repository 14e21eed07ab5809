"""Click-to-dial: the request Odoo sends to a PBX, as a real HTTP server sees it."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user

from .test_ami_bridge import closed_port


class RecordingHandler(BaseHTTPRequestHandler):
    """Answers every request with the server's ``status``, keeping a copy."""

    def _record(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.server.requests.append(
            {
                "method": self.command,
                "path": self.path,
                "headers": dict(self.headers.items()),
                "body": self.rfile.read(length) if length else b"",
            }
        )
        body = b'{"status": "queued"}'
        self.send_response(self.server.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _record

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        """Quiet: the test reads the requests, not a log."""


class TestClickToDial(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.agent = new_test_user(
            cls.env, login="dial_agent", groups="crm_pbx.group_pbx_agent"
        )
        cls.loner = new_test_user(
            cls.env, login="dial_loner", groups="crm_pbx.group_pbx_agent"
        )
        cls.pbx = cls.env["crm.pbx"].create(
            {
                "name": "Dial PBX",
                "kind": "asterisk",
                "country_id": cls.env.ref("base.pl").id,
                "extension_ids": [(0, 0, {"name": "101", "user_id": cls.agent.id})],
                "originate_method": "POST",
                "originate_headers": json.dumps(
                    {"Authorization": "Bearer {token}", "X-Extension": "{extension}"}
                ),
                "originate_body": '{"extension": "{extension}", '
                '"number": "{number_e164}", "dialled": "{number}"}',
            }
        )
        cls.server = ThreadingHTTPServer(("127.0.0.1", 0), RecordingHandler)
        cls.server.requests = []
        cls.server.status = 200
        thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        thread.start()
        cls.addClassCleanup(thread.join, 10)
        cls.addClassCleanup(cls.server.server_close)
        cls.addClassCleanup(cls.server.shutdown)

    def setUp(self):
        super().setUp()
        self.server.requests.clear()
        self.server.status = 200
        self.pbx.originate_url = (
            f"http://127.0.0.1:{self.server.server_port}/originate/{{extension}}"
        )

    def dial(self, number, user=None):
        return (
            self.env["crm.pbx.call"].with_user(user or self.agent).action_dial(number)
        )

    def test_dial_posts_the_pbx_template_with_the_users_extension(self):
        action = self.dial("601 234 567")
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("101", action["params"]["message"])
        [request] = self.server.requests
        self.assertEqual(request["method"], "POST")
        self.assertEqual(request["path"], "/originate/101")
        self.assertEqual(
            request["headers"]["Authorization"], f"Bearer {self.pbx.token}"
        )
        self.assertEqual(request["headers"]["X-Extension"], "101")
        self.assertEqual(
            json.loads(request["body"]),
            {"extension": "101", "number": "+48601234567", "dialled": "601 234 567"},
        )

    def test_dial_escapes_the_number_in_json_and_url(self):
        self.pbx.originate_url += "?to={number}"
        self.dial('601 "234" 567&x=1')
        [request] = self.server.requests
        url = urlsplit(request["path"])
        self.assertEqual(parse_qs(url.query), {"to": ['601 "234" 567&x=1']})
        self.assertEqual(json.loads(request["body"])["dialled"], '601 "234" 567&x=1')

    def test_dial_by_get_sends_no_body(self):
        self.pbx.write(
            {
                "originate_method": "GET",
                "originate_url": f"http://127.0.0.1:{self.server.server_port}"
                "/dial?ext={extension}&to={number_e164}&key={token}",
            }
        )
        self.dial("+48 22 190 70 30")
        [request] = self.server.requests
        self.assertEqual(request["method"], "GET")
        self.assertEqual(request["body"], b"")
        query = parse_qs(urlsplit(request["path"]).query)
        self.assertEqual(
            query,
            {"ext": ["101"], "to": ["+48221907030"], "key": [self.pbx.token]},
        )

    def test_pbx_answering_an_error_is_a_clear_user_error(self):
        self.server.status = 500
        with self.assertRaises(UserError) as caught:
            self.dial("601234567")
        self.assertIn("refused to dial 601234567 (HTTP 500)", str(caught.exception))
        self.assertEqual(len(self.server.requests), 1)

    def test_unreachable_pbx_is_a_clear_user_error(self):
        self.pbx.originate_url = f"http://127.0.0.1:{closed_port()}/originate"
        with self.assertRaises(UserError) as caught:
            self.dial("601234567")
        self.assertIn("could not be reached", str(caught.exception))

    def test_user_without_extension_cannot_dial(self):
        with self.assertRaises(UserError) as caught:
            self.dial("601234567", user=self.loner)
        self.assertIn("no telephone extension", str(caught.exception))
        self.assertFalse(self.server.requests)

    def test_pbx_without_originate_url_cannot_dial(self):
        self.pbx.originate_url = False
        with self.assertRaises(UserError) as caught:
            self.dial("601234567")
        self.assertIn("no originate URL", str(caught.exception))

    def test_nothing_to_dial(self):
        with self.assertRaises(UserError):
            self.dial("n/a")
        self.assertFalse(self.server.requests)
