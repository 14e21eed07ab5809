"""Timeline of a big partner: first page and card KPIs against one-by-one reads.

Asked for by ``crm_parties``: ``crm.timeline.event`` is a SQL view (a UNION of
messages, meetings, opportunities, orders...) so that a partner's timeline is
one indexed query however long its history. This benchmark checks that claim
on a company with 10,000 events, as a salesman (record rules apply):

* **first page**: what the list view does, i.e. ``search_fetch`` of 80 events,
  the display names of their contacts and users, and ``search_count`` for the
  pager; baseline: reading the same 80 source records (message, attendee,
  lead, order) one by one, each with a cold cache.
* **first page read by id**: the same 80 events read by their ids, as the
  Open button and an export of chosen rows read them; same baseline.
* **card KPIs**: the partner's ``timeline_event_count``, ``last_contact_*``
  and ``days_since_last_order``; baseline: the same numbers from a plain
  Python loop over every source record of the partner, read one by one.

Both paths must give the same answer, or the script exits 1 before timing.

Usage: ``./crm bench bench/timeline_first_page.py``
"""

import random
import sys
import time
from datetime import timedelta
from functools import partial

from _common import environment, median_ms, print_table, query_count

from odoo import Command, fields
from odoo.tools import SQL

PARTNER_NAME = "Bench Timeline Partner"
USER_LOGIN = "bench_timeline_salesman"
PRODUCT_CODE = "BENCH-TIMELINE"
EVENTS, ORDERS, MEETINGS, LEADS = 10_000, 300, 200, 40
PAGE = 80
FIELDS = ["date", "kind", "name", "description", "partner_id", "user_id"]
FIELDS += ["res_model", "res_id"]
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
# Which table a timeline entry comes from, by kind (only the kinds made here).
SOURCE_MODEL = {
    "message": "mail.message",
    "note": "mail.message",
    "meeting": "calendar.attendee",
    "opportunity": "crm.lead",
    "quotation": "sale.order",
    "sale_order": "sale.order",
}


# ----------------------------------------------------------------------
# Data (made once, committed, reused by the next runs)
# ----------------------------------------------------------------------


def spread_dates(rng, count, future_days=0):
    """``count`` datetimes over the last 3 years (and up to ``future_days``)."""
    now = fields.Datetime.now().replace(microsecond=0)
    span = int(timedelta(days=3 * 365 + future_days).total_seconds())
    future = int(timedelta(days=future_days).total_seconds())
    return [now + timedelta(seconds=future - rng.randrange(span)) for _ in range(count)]


def ensure_data(env):
    """Return (partner, salesman), creating what is missing to reach EVENTS."""
    env = env(context=QUIET)
    Partner = env["res.partner"]
    partner = Partner.search([("name", "=", PARTNER_NAME), ("is_company", "=", True)])
    if not partner:
        partner = Partner.create({"name": PARTNER_NAME, "is_company": True})
        Partner.create(
            [
                {"name": f"Bench Contact {i}", "parent_id": partner.id,
                 "email": f"bench.contact{i}@example.com"}
                for i in range(3)
            ]
        )  # fmt: skip
    contacts = partner | partner.child_ids
    user = env["res.users"].with_context(active_test=False)
    user = user.search([("login", "=", USER_LOGIN)])
    if not user:
        user = user.create(
            {
                "name": "Bench Salesman",
                "login": USER_LOGIN,
                "email": "bench.salesman@example.com",
                "groups_id": [
                    (6, 0, [env.ref("sales_team.group_sale_salesman_all_leads").id])
                ],
            }
        )
    rng = random.Random(42)
    _ensure_orders(env, rng, contacts, user)
    _ensure_meetings(env, rng, contacts, user)
    _ensure_leads(env, rng, contacts, user)
    _ensure_messages(env, rng, partner, contacts, user)
    env.cr.commit()
    return partner, user


def _ensure_orders(env, rng, contacts, user):
    """Quotations and confirmed orders, one line each, dated over 3 years."""
    missing = ORDERS - env["sale.order"].search_count(
        [("partner_id", "in", contacts.ids)]
    )
    if missing <= 0:
        return
    product = env["product.product"].search([("default_code", "=", PRODUCT_CODE)])
    product = product or product.create(
        {"name": "Bench Widget", "default_code": PRODUCT_CODE, "list_price": 120.0}
    )
    dates = spread_dates(rng, missing)
    orders = env["sale.order"].create(
        [
            {
                "partner_id": rng.choice(contacts).id,
                "user_id": user.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                ],
            }
            for qty in (rng.randint(1, 20) for _ in range(missing))
        ]
    )
    orders[: missing * 2 // 3].action_confirm()
    for order, date in zip(orders, dates, strict=True):  # confirming sets now
        order.date_order = date


def _ensure_meetings(env, rng, contacts, user):
    """Meetings with one of the partner's contacts; a few still to come."""
    missing = MEETINGS - env["calendar.attendee"].search_count(
        [("partner_id", "in", contacts.ids)]
    )
    if missing <= 0:
        return
    starts = spread_dates(rng, missing, future_days=30)
    env["calendar.event"].with_context(dont_notify=True).create(
        [
            {
                "name": f"Bench meeting {i}",
                "start": start,
                "stop": start + timedelta(hours=1),
                "user_id": user.id,
                "partner_ids": [(6, 0, [rng.choice(contacts).id])],
                "location": "Customer office",
            }
            for i, start in enumerate(starts)
        ]
    )


def _ensure_leads(env, rng, contacts, user):
    """Opportunities, back-dated (the timeline dates them by creation)."""
    missing = LEADS - env["crm.lead"].search_count([("partner_id", "in", contacts.ids)])
    if missing <= 0:
        return
    leads = env["crm.lead"].create(
        [
            {"name": f"Bench deal {i}", "type": "opportunity",
             "partner_id": rng.choice(contacts).id, "user_id": user.id,
             "expected_revenue": rng.randint(1, 100) * 1000}
            for i in range(missing)
        ]
    )  # fmt: skip
    env.flush_all()
    for lead, date in zip(leads, spread_dates(rng, missing), strict=True):
        env.cr.execute(
            SQL("UPDATE crm_lead SET create_date = %s WHERE id = %s", date, lead.id)
        )
    leads.invalidate_recordset(["create_date"])


def _ensure_messages(env, rng, partner, contacts, user):
    """Top up with messages and notes, set-based, 1,000 per ``create``."""
    missing = EVENTS - timeline_count(env, partner)
    comment, note = env.ref("mail.mt_comment"), env.ref("mail.mt_note")
    authors = [user.partner_id, env.ref("base.partner_admin"), *contacts]
    dates = spread_dates(rng, max(missing, 0))
    for start in range(0, max(missing, 0), 1000):
        values = []
        for i, date in enumerate(dates[start : start + 1000], start):
            kind = rng.choice(["note", "comment", "email"])
            values.append(
                {
                    "model": "res.partner",
                    "res_id": rng.choice(contacts).id,
                    "message_type": "email" if kind == "email" else "comment",
                    "subtype_id": (note if kind == "note" else comment).id,
                    "subject": f"Bench {kind} {i}" if kind == "email" else False,
                    "body": f"<p>Bench {kind} {i}: follow-up on the offer.</p>",
                    "author_id": rng.choice(authors).id,
                    "date": date,
                }
            )
        env["mail.message"].create(values)


def timeline_count(env, partner):
    return env["crm.timeline.event"].search_count(
        [("commercial_partner_id", "=", partner.id)]
    )


# ----------------------------------------------------------------------
# The two paths of each comparison
# ----------------------------------------------------------------------


def first_page(env, partner):
    """What the list view does: a page of entries, their names, the pager."""
    domain = [("commercial_partner_id", "=", partner.id)]
    Event = env["crm.timeline.event"]
    events = Event.search_fetch(domain, FIELDS, limit=PAGE)
    events.partner_id.mapped("display_name")
    events.user_id.mapped("display_name")
    Event.search_count(domain)
    return sorted((e.res_model, e.res_id, e.date) for e in events)


def page_by_id(env, event_ids):
    """The same entries read by id, as the Open button and an export of
    chosen rows read them."""
    rows = env["crm.timeline.event"].browse(event_ids).read(FIELDS)
    return sorted((row["res_model"], row["res_id"], row["date"]) for row in rows)


def read_source(record):
    """(res_model, res_id, date, title, who) of one source row, field by field."""
    if record._name == "mail.message":
        title = record.subject or record.record_name
        return (record.model, record.res_id, record.date, title,
                record.author_id.display_name)  # fmt: skip
    if record._name == "calendar.attendee":
        meeting = record.event_id
        return ("calendar.event", meeting.id, meeting.start, meeting.name,
                meeting.user_id.display_name)  # fmt: skip
    date = record.create_date if record._name == "crm.lead" else record.date_order
    return (record._name, record.id, date, record.name, record.user_id.display_name)


def page_one_by_one(env, entries):
    """The same entries read from their source rows, one cold read each.

    ``entries`` are (kind, source row id) pairs; the view's id is
    ``source row id * number of sources + index of the source``.
    """
    rows = []
    for kind, src_id in entries:
        env.invalidate_all()
        rows.append(read_source(env[SOURCE_MODEL[kind]].browse(src_id))[:3])
    return sorted(rows)


def card_kpis(env, partner):
    """The partner card's KPIs, computed by the addon."""
    partner = env["res.partner"].browse(partner.id)
    return (
        partner.timeline_event_count,
        partner.last_contact_date,
        partner.last_contact_channel,
        partner.days_since_last_order,
    )


def kpis_one_by_one(env, partner):
    """The same KPIs by a loop over every source record, read one by one."""
    ids = env["res.partner"].search([("commercial_partner_id", "=", partner.id)]).ids
    now = fields.Datetime.now()
    count, contacts, last_order = 0, [], None
    Message = env["mail.message"]
    messages = Message.search([("model", "=", "res.partner"), ("res_id", "in", ids)])
    for msg_id in messages.ids:
        msg = Message.browse(msg_id)
        if msg.message_type in ("comment", "email", "email_outgoing"):
            count += 1
            kind = "note" if msg.subtype_id.internal else "message"
            contacts.append((msg.date, kind))
    Attendee = env["calendar.attendee"]
    for attendee_id in Attendee.search([("partner_id", "in", ids)]).ids:
        meeting = Attendee.browse(attendee_id).event_id
        if meeting.active:
            count += 1
            contacts.append((meeting.start, "meeting"))
    count += len(env["crm.lead"].search([("partner_id", "in", ids)]).ids)
    Order = env["sale.order"]
    for order_id in Order.search([("partner_id", "in", ids)]).ids:
        order = Order.browse(order_id)
        count += order.state != "cancel"
        if order.state == "sale":
            last_order = max(last_order or order.date_order, order.date_order)
    date, kind = max((c for c in contacts if c[0] <= now), default=(False, False))
    labels = dict(env["crm.timeline.event"]._fields["kind"].selection)
    days = (now - last_order).days if last_order else -1
    return count, date, labels.get(kind, False), days


# ----------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------


def explain(env, partner):
    """EXPLAIN ANALYZE of the first-page query, printed when it is slow."""
    Event = env["crm.timeline.event"]
    query = Event._search(
        [("commercial_partner_id", "=", partner.id)], limit=PAGE, order=Event._order
    )
    columns = [
        Event._field_to_sql(query.table, name, query)
        for name in FIELDS
        if Event._fields[name].store
    ]
    env.cr.execute(SQL("EXPLAIN (ANALYZE, COSTS OFF) %s", query.select(*columns)))
    print("\n".join(row[0] for row in env.cr.fetchall()))


def main(config_path, db_name):
    with environment(config_path, db_name) as env:
        start = time.perf_counter()
        partner, user = ensure_data(env)
        print(f"data ready in {time.perf_counter() - start:.1f} s")
        total = timeline_count(env, partner)
        if total < EVENTS:
            print(f"error: {total} timeline events, expected {EVENTS}", file=sys.stderr)
            return 1
        env = env(user=user)
        cold = env.invalidate_all
        sources = len(env["crm.timeline.event"]._timeline_sources())
        page = env["crm.timeline.event"].search(
            [("commercial_partner_id", "=", partner.id)], limit=PAGE
        )
        entries = [(e.kind, e.id // sources) for e in page]

        checks = [
            ("first page", first_page, lambda e, _p: page_one_by_one(e, entries)),
            ("first page read by id", lambda e, _p: page_by_id(e, page.ids),
             lambda e, _p: page_one_by_one(e, entries)),
            ("card KPIs", card_kpis, kpis_one_by_one),
        ]  # fmt: skip
        rows = []
        for name, fast, slow in checks:
            fast, slow = partial(fast, env, partner), partial(slow, env, partner)
            cold()
            fast_result = fast()  # also warms the ormcaches for the counts below
            cold()
            slow_result = slow()
            if fast_result != slow_result:
                print(f"error: {name}: the timeline and the one-by-one reads "
                      f"disagree:\n  {fast_result}\n  {slow_result}",
                      file=sys.stderr)  # fmt: skip
                return 1
            cold()
            fast_queries = query_count(fast)[1]
            cold()
            slow_queries = query_count(slow)[1]
            fast_ms = median_ms(fast, setup=cold)
            slow_ms = median_ms(slow, runs=3, setup=cold)
            rows.append((name, fast_ms, slow_ms, f"{fast_queries} / {slow_queries}"))

        print(f"{total} timeline events for {PARTNER_NAME!r}, as {user.login}, "
              f"first page of {PAGE}; median of cold-cache runs")  # fmt: skip
        print_table(
            ["what", "timeline (ms)", "one-by-one baseline (ms)", "ratio",
             "queries (timeline / baseline)"],
            rows,
        )  # fmt: skip
        if rows[0][1] > 50:
            print(f"\nthe first page takes {rows[0][1]:.0f} ms (> 50 ms):")
            explain(env, partner)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
