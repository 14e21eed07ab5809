import hashlib
import hmac
import json
import time
from urllib.parse import urlencode

from odoo.tests import HttpCase, new_test_user


class PbxHttpCase(HttpCase):
    """A PBX with two extensions, a queue and known customers, and helpers
    that talk to the real HTTP endpoints the way a PBX does."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True)
        )
        cls.company = cls.env.company
        cls.company.country_id = cls.env.ref("base.pl")
        cls.agent = new_test_user(
            cls.env, login="pbx_agent", groups="crm_pbx.group_pbx_agent"
        )
        cls.other_agent = new_test_user(
            cls.env, login="pbx_agent2", groups="crm_pbx.group_pbx_agent"
        )
        cls.manager = new_test_user(
            cls.env, login="pbx_manager", groups="crm_pbx.group_pbx_manager"
        )
        cls.salesman = new_test_user(
            cls.env, login="pbx_salesman", groups="sales_team.group_sale_salesman"
        )
        cls.team = cls.env["crm.team"].create(
            {"name": "Phone sales", "user_id": cls.manager.id}
        )
        cls.pbx = cls.env["crm.pbx"].create(
            {
                "name": "Test PBX",
                "kind": "other",
                "country_id": cls.env.ref("base.pl").id,
                "extension_ids": [
                    (0, 0, {"name": "101", "user_id": cls.agent.id}),
                    (0, 0, {"name": "102", "user_id": cls.other_agent.id}),
                ],
                "queue_ids": [(0, 0, {"name": "sales", "team_id": cls.team.id})],
            }
        )
        cls.token = cls.pbx.token
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Hydro-Tech",
                "is_company": True,
                "country_id": cls.env.ref("base.pl").id,
                "phone": "+48 22 190 70 30",
                "user_id": cls.salesman.id,
            }
        )
        cls.person = cls.env["res.partner"].create(
            {
                "name": "Anna Nowak",
                "parent_id": cls.customer.id,
                "mobile": "601 234 567",
            }
        )

    def post_events(self, payload, token=None, headers=None, pbx=None, raw=None):
        pbx = pbx or self.pbx
        body = raw if raw is not None else json.dumps(payload).encode()
        all_headers = {"Content-Type": "application/json"}
        if token is not False:
            all_headers["Authorization"] = f"Bearer {token or self.token}"
        all_headers.update(headers or {})
        return self.url_open(
            f"/crm_pbx/{pbx.id}/events", data=body, headers=all_headers, timeout=30
        )

    def signed_headers(self, body, timestamp=None, token=None):
        timestamp = str(int(timestamp if timestamp is not None else time.time()))
        digest = hmac.new(
            (token or self.token).encode(), timestamp.encode() + body, hashlib.sha256
        ).hexdigest()
        return {"X-CRM-PBX-Timestamp": timestamp, "X-CRM-PBX-Signature": digest}

    def lookup(self, number, output="json", token=None):
        query = urlencode({"number": number, "format": output})
        return self.url_open(
            f"/crm_pbx/{self.pbx.id}/lookup?{query}",
            headers={"Authorization": f"Bearer {token or self.token}"},
        )

    def event(self, name, call_id, timestamp, **values):
        return {"event": name, "call_id": call_id, "timestamp": timestamp, **values}

    def answered_cdr(self, call_id, caller, start, answer, end):
        """The PBX's record of an inbound call to 100, answered at ``answer``."""
        return self.event(
            "cdr",
            call_id,
            end + 100,
            direction="inbound",
            caller=caller,
            called="100",
            start=start,
            answer=answer,
            end=end,
            disposition="answered",
        )

    def call(self, call_id):
        return self.env["crm.pbx.call"].search(
            [("pbx_id", "=", self.pbx.id), ("call_uid", "=", call_id)]
        )
