from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from .common import CrmPartiesCase


@tagged("post_install", "-at_install")
class TestTimeline(CrmPartiesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        now = fields.Datetime.now().replace(microsecond=0)
        cls.t = {n: now - timedelta(days=n) for n in range(1, 11)}
        cls.email = cls.holding.message_post(
            body="Where is my order?",
            subject="Late order",
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        cls.note = cls.anna.message_post(
            body="Prefers phone calls",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        cls.env.cr.execute(
            "UPDATE mail_message SET date = %s WHERE id = %s", (cls.t[9], cls.email.id)
        )
        cls.env.cr.execute(
            "UPDATE mail_message SET date = %s WHERE id = %s", (cls.t[8], cls.note.id)
        )
        cls.meeting = cls.env["calendar.event"].create(
            {
                "name": "Quarterly review",
                "start": cls.t[7],
                "stop": cls.t[7] + timedelta(hours=1),
                "partner_ids": [Command.set(cls.anna.ids)],
            }
        )
        cls.opportunity = cls.env["crm.lead"].create(
            {
                "name": "Big deal",
                "type": "opportunity",
                "partner_id": cls.holding.id,
                "user_id": cls.sales_manager.id,
            }
        )
        cls.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s WHERE id = %s",
            (cls.t[6], cls.opportunity.id),
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.holding.id,
                "user_id": cls.sales_manager.id,
                "date_order": cls.t[5],
                "order_line": [Command.create({"product_id": cls.product.id})],
            }
        )
        cls.order.action_confirm()
        cls.order.date_order = cls.t[5]
        cls.invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.holding.id,
                "invoice_user_id": cls.sales_manager.id,
                "invoice_date": cls.t[4].date(),
                "invoice_line_ids": [Command.create({"product_id": cls.product.id})],
            }
        )
        cls.invoice.action_post()
        cls.activity = cls.holding.activity_schedule(
            "mail.mail_activity_data_call",
            date_deadline=(cls.t[1] + timedelta(days=3)).date(),
            summary="Call back about the delay",
            user_id=cls.salesman.id,
        )
        cls.branch_order = cls.env["sale.order"].create(
            {
                "partner_id": cls.branch.id,
                "date_order": cls.t[3],
                "order_line": [Command.create({"product_id": cls.product.id})],
            }
        )
        cls.env.flush_all()

    def _timeline(self, partners, user=None):
        Event = self.env["crm.timeline.event"]
        if user:
            Event = Event.with_user(user)
        return Event.search([("commercial_partner_id", "in", partners.ids)])

    def test_entries_come_from_every_source_newest_first(self):
        events = self._timeline(self.holding)
        self.assertEqual(
            [(e.kind, e.res_model, e.res_id) for e in events],
            [
                ("activity", "res.partner", self.holding.id),
                ("invoice", "account.move", self.invoice.id),
                ("sale_order", "sale.order", self.order.id),
                ("opportunity", "crm.lead", self.opportunity.id),
                ("meeting", "calendar.event", self.meeting.id),
                ("note", "res.partner", self.anna.id),
                ("message", "res.partner", self.holding.id),
            ],
        )
        self.assertEqual(len(set(events.ids)), len(events))
        email = events.filtered(lambda e: e.kind == "message")
        self.assertEqual(email.name, "Late order")
        self.assertEqual(email.description, "Where is my order?")
        self.assertEqual(
            events.filtered(lambda e: e.kind == "meeting").partner_id, self.anna
        )

    def test_timeline_can_be_filtered_by_kind_person_and_date(self):
        Event = self.env["crm.timeline.event"]
        base = [("commercial_partner_id", "=", self.holding.id)]
        self.assertEqual(
            Event.search(base + [("kind", "in", ("invoice", "sale_order"))]).mapped(
                "kind"
            ),
            ["invoice", "sale_order"],
        )
        self.assertEqual(
            Event.search(base + [("partner_id", "=", self.anna.id)]).mapped("kind"),
            ["meeting", "note"],
        )
        recent = Event.search(base + [("date", ">=", self.t[6] - timedelta(hours=1))])
        self.assertEqual(
            recent.mapped("kind"), ["activity", "invoice", "sale_order", "opportunity"]
        )
        counts = dict(Event._read_group(base, ["kind"], ["__count"]))
        self.assertEqual(counts["note"], 1)

    def test_group_timeline_adds_the_members_events(self):
        action = self.holding.action_open_group_timeline()
        events = self.env["crm.timeline.event"].search(action["domain"])
        self.assertIn(
            self.branch_order.id,
            events.filtered(lambda e: e.res_model == "sale.order").mapped("res_id"),
        )
        own = self.env["crm.timeline.event"].search(
            self.holding.action_open_timeline()["domain"]
        )
        self.assertEqual(len(events), len(own) + 1)

    def test_entry_opens_its_record(self):
        event = self._timeline(self.holding).filtered(lambda e: e.kind == "invoice")
        action = event.action_open_record()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("account.move", self.invoice.id)
        )

    def test_entries_read_by_id_are_those_of_a_search(self):
        """Entries read by id, as the Open button and an export of chosen
        rows read them, from every source; each source is narrowed to its
        rows first, and access still applies."""
        Event = self.env["crm.timeline.event"]
        names = ["kind", "name", "res_model", "res_id", "partner_id", "date"]
        expected = Event.search_read(
            [("commercial_partner_id", "=", self.holding.id)], names
        )
        self.assertEqual(len({row["res_model"] for row in expected}), 5)
        ids = [row["id"] for row in expected]
        self.env.invalidate_all()
        self.assertEqual(Event.browse(ids).read(names), expected)
        where = Event._search([("id", "in", ids)]).where_clause
        self.assertIn('"source_id" = ANY', where.code)
        # the salesman's read by id keeps only what he may read
        order_event = self._timeline(self.holding).filtered(
            lambda e: e.kind == "sale_order"
        )
        self.assertFalse(
            Event.with_user(self.salesman).search([("id", "in", order_event.ids)])
        )

    def test_user_sees_only_entries_of_records_they_may_read(self):
        # "Own documents only": the manager's order is not the salesman's.
        own_docs = self._timeline(self.holding, self.salesman)
        self.assertNotIn("sale_order", own_docs.mapped("kind"))
        self.assertNotIn("invoice", own_docs.mapped("kind"))
        self.assertNotIn("opportunity", own_docs.mapped("kind"))
        self.assertIn("message", own_docs.mapped("kind"))
        self.assertIn(
            "sale_order",
            self._timeline(self.holding, self.sales_manager).mapped("kind"),
        )
        # A user of another department (no sales rights) sees no sales at all.
        clerk = new_test_user(
            self.env, login="crm_parties_clerk", groups="base.group_user"
        )
        kinds = set(self._timeline(self.holding, clerk).mapped("kind"))
        self.assertFalse(kinds & {"sale_order", "quotation", "invoice", "opportunity"})
        self.assertIn("message", kinds)
        # Counting follows the same rule.
        self.assertEqual(
            self.env["crm.timeline.event"]
            .with_user(self.salesman)
            .search_count([("commercial_partner_id", "=", self.holding.id)]),
            len(own_docs),
        )

    def test_card_kpis(self):
        self.holding.invalidate_recordset()
        self.assertEqual(self.holding.timeline_event_count, 7)
        self.assertEqual(self.holding.last_contact_date, self.t[7])
        self.assertEqual(self.holding.last_contact_channel, "Meeting")
        self.assertEqual(self.holding.days_since_last_order, 5)
        self.assertEqual(self.other.days_since_last_order, -1)
        self.assertEqual(self.anna.timeline_event_count, 7)
