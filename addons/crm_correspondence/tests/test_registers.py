import threading

from odoo import api, fields
from odoo.exceptions import UserError
from odoo.service.model import retrying
from odoo.tests import tagged

from .common import CorrespondenceCase


@tagged("post_install", "-at_install")
class TestRegisters(CorrespondenceCase):
    def _number(self, item):
        prefix, year, number = item.name.split("/")
        return prefix, int(year), int(number)

    def test_numbers_per_register_and_year(self):
        first = self._incoming(date="2026-03-02")
        second = self._incoming(date="2026-03-03")
        previous_year = self._incoming(date="2025-12-30")
        outgoing = self.Item.with_user(self.clerk).create(
            {"direction": "outgoing", "subject": "Our letter", "date": "2026-03-03"}
        )
        self.assertEqual(self._number(first)[:2], ("IN", 2026))
        self.assertEqual(self._number(second)[2], self._number(first)[2] + 1)
        self.assertEqual(self._number(previous_year)[:2], ("IN", 2025))
        self.assertEqual(self._number(outgoing)[:2], ("OUT", 2026))
        self.assertEqual(outgoing.state, "sent")
        self.assertEqual(first.state, "registered")

    def test_each_company_numbers_its_own_register(self):
        other = self.env["res.company"].create({"name": "Register Other Co"})
        mine = self._incoming(date="2026-04-01")
        theirs = [
            self.Item.create(
                {"subject": f"Other {i}", "company_id": other.id, "date": "2026-04-01"}
            )
            for i in range(2)
        ]
        after = self._incoming(date="2026-04-02")
        self.assertEqual([t.name for t in theirs], ["IN/2026/00001", "IN/2026/00002"])
        self.assertEqual(self._number(after)[2], self._number(mine)[2] + 1, "no gap")
        sequence = self.env["ir.sequence"].search(
            [
                ("code", "=", "crm.correspondence.incoming"),
                ("company_id", "=", other.id),
            ]
        )
        self.assertEqual(len(sequence), 1)

    def test_outgoing_reply_marks_the_incoming_item_answered(self):
        letter = self._incoming(date=fields.Date.context_today(self.env.user))
        action = letter.action_register_reply()
        reply = (
            self.Item.with_user(self.clerk)
            .with_context(**action["context"])
            .create({"subject": "Our answer"})
        )
        self.assertEqual(reply.direction, "outgoing")
        self.assertEqual(reply.reply_to_id, letter)
        self.assertEqual(letter.reply_ids, reply)
        self.assertEqual(letter.state, "answered")
        self.assertEqual(letter.date_answered, fields.Date.context_today(self.env.user))
        self.assertEqual(letter.handling_days, 0)
        self.assertEqual(letter.action_view_replies()["res_id"], reply.id)

    def test_only_outgoing_items_answer(self):
        letter = self._incoming()
        with self.assertRefused(UserError, "Only an outgoing item can be a reply"):
            self._incoming(reply_to_id=letter.id)

    def test_steps_follow_the_state(self):
        letter = self._incoming()
        with self.assertRefused(UserError, "this step is not possible now"):
            letter.action_start()
        letter.action_no_reply()
        self.assertEqual(letter.state, "no_reply")
        self.assertFalse(letter.is_open)
        letter.action_reopen()
        self.assertEqual(letter.state, "registered")
        letter.action_close()
        self.assertEqual(letter.state, "closed")


@tagged("post_install", "-at_install")
class TestConcurrentNumbering(CorrespondenceCase):
    """Two clerks register at the same moment, each in their own transaction,
    as two HTTP requests would: the numbers follow each other, no gap and no
    duplicate (the second waits for, or retries after, the first)."""

    def test_two_clerks_at_once(self):
        registry = self.env.registry
        # committed users only: this test's own records are invisible there
        admin_id = self.env.ref("base.user_admin").id
        barrier = threading.Barrier(2)
        created, errors = [], []

        def register(subject):
            try:
                with registry.cursor() as cr:
                    env = api.Environment(cr, admin_id, {})

                    def create():
                        item = env["crm.correspondence"].create(
                            {"subject": subject, "date": "2031-05-05"}
                        )
                        return item.id, item.name

                    barrier.wait(timeout=10)
                    created.append(retrying(create, env))
            except Exception as error:  # reported by the assertion below
                errors.append(error)

        threads = [
            threading.Thread(target=register, args=(f"Concurrent {i}",))
            for i in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        try:
            self.assertFalse(errors)
            numbers = sorted(int(name.rsplit("/", 1)[1]) for _id, name in created)
            self.assertEqual(len(numbers), 2)
            self.assertEqual(numbers[1], numbers[0] + 1)
            self.assertTrue(all(name.startswith("IN/2031/") for _id, name in created))
        finally:
            with registry.cursor() as cr:
                env = api.Environment(cr, api.SUPERUSER_ID, {})
                env["crm.correspondence"].browse(
                    [id_ for id_, _name in created]
                ).unlink()
                env["ir.sequence.date_range"].search(
                    [
                        ("sequence_id.code", "=", "crm.correspondence.incoming"),
                        ("date_from", "=", "2031-01-01"),
                    ]
                ).unlink()
