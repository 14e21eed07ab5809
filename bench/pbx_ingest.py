"""Call events from 50 concurrent senders into a real multi-process Odoo.

Asked for by ``crm_pbx`` (issue 10): a busy PBX (or several) posts call
events as they happen; Odoo must keep up and never lose one. On the
database of ``_pbx_data.py`` (1,000,000 contacts: callers are identified
against them), with Odoo served by ``odoo-bin --workers=2`` (two HTTP
worker processes, as ``./crm run --workers 2``; ``_pbx_server.py``):

* 50 sender threads, each posting its own calls one event per request, a
  new connection each (a PBX's webhook): answered inbound calls (ringing,
  answered, sometimes hold and unhold, hangup), missed ones (ringing,
  hangup), outbound ones, some closed by a ``cdr``; callers are bench
  contacts (numbers written in any style) or unknown numbers; half of the
  events carry the PBX's ``event_id``. About 5% of the events are sent
  twice (at once or later) and about 10% of the calls have two events
  swapped (out of order).
* A request that gets no answer (connection refused or reset: the listen
  queue of 2 workers holds 16 connections; or a 5xx) is sent again, up to
  5 times with a growing pause, as a PBX does: events are idempotent.
* A second round sends other calls the same way, but each sender posts
  its events in batches of ``BATCH`` (a JSON list, as the AMI bridge
  posts what its spool holds): what the API takes when the sender can
  batch. The goal is counted on the first round.
* It prints, per round, events/s (events answered per second of the whole
  run, and distinct events per second), the latency (p50, p99, max) of an event as
  the sender sees it (from its first try) and the time inside Odoo
  (``Server-Timing``: from the request's arrival in Odoo to its answer,
  the commit excepted), the events sent against the ``crm.pbx.call.event``
  rows stored, the calls made and their final state. Goal: >= 200
  events/s, no event lost.

The script exits 1 if an event is lost or stored twice, a request fails,
or a call does not end as its events say.

Usage: ``./crm bench --db crm_bench_pbx bench/pbx_ingest.py``
"""

import asyncio
import collections
import json
import os
import random
import re
import statistics
import sys
import time
import urllib.parse

from _common import environment
from _pbx_data import (
    PBX_TOKEN,
    ensure_pbx_data,
    national_number,
    pick_style,
    write_number,
)
from _pbx_server import log_problems, odoo_server

SENDERS = 50
CALLS_PER_SENDER = 24
DUPLICATES, SWAPS = 0.05, 0.10
RETRIES = 5  # a request that got no answer (connection refused, reset, 5xx)
GOAL_PER_SECOND = 200
BATCH = 10  # events per request in the second round


def call_events(rng, run, sender, number, callers, extensions, now):
    """The events of one call, in the order a PBX would post them."""
    call_id = f"bench-{run}-{sender:02d}-{number:03d}"
    extension = rng.choice(extensions)
    caller = rng.choice(callers)
    start = now - rng.uniform(60, 600)
    kind = rng.choices(["answered", "missed", "outbound"], [60, 25, 15])[0]
    if kind == "outbound":
        first = {"direction": "outbound", "caller": extension, "called": caller}
    else:
        first = {"direction": "inbound", "caller": caller, "called": "+48221234500"}
    events = [dict(event="ringing", timestamp=start, extension=extension, **first)]
    moment = start + rng.uniform(2, 20)
    if kind != "missed":
        events.append(
            {"event": "answered", "timestamp": moment, "extension": extension}
        )
        if rng.random() < 0.1:
            events.append({"event": "hold", "timestamp": moment + 10})
            events.append({"event": "unhold", "timestamp": moment + 20})
        moment += rng.uniform(30, 300)
        events.append({"event": "hangup", "timestamp": moment,
                       "disposition": "answered"})  # fmt: skip
    else:
        events.append({"event": "hangup", "timestamp": moment,
                       "disposition": "no_answer"})  # fmt: skip
    if rng.random() < 0.05:
        events.append({"event": "cdr", "timestamp": moment + 1, "start": start,
                       "answer": start + 5 if kind != "missed" else None,
                       "end": moment, **first})  # fmt: skip
    for position, event in enumerate(events):
        event["call_id"] = call_id
        if rng.random() < 0.5:
            event["event_id"] = f"{call_id}-{position}"
        for key in [key for key, value in event.items() if value is None]:
            del event[key]
    expected = {"call_id": call_id, "answered": kind != "missed",
                "events": len(events)}  # fmt: skip
    if rng.random() < SWAPS and len(events) > 1:
        position = rng.randrange(len(events) - 1)
        events[position], events[position + 1] = events[position + 1], events[position]
    return events, expected


def sender_plan(rng, run, sender, callers, extensions, now):
    """Every body one sender posts, duplicates included, and the calls."""
    plan, calls, late = [], [], []
    for number in range(CALLS_PER_SENDER):
        events, expected = call_events(
            rng, run, sender, number, callers, extensions, now
        )
        calls.append(expected)
        for event in events:
            plan.append(event)
            if rng.random() < DUPLICATES:
                (plan if rng.random() < 0.5 else late).append(dict(event))
    return plan + late, calls


class Sender:
    """One PBX posting its events one by one, each on a new connection.

    The senders are coroutines of one event loop (threads of one Python
    process starve under load: a server worker waiting for a request a
    thread had not sent yet timed out after 2 s).
    """

    def __init__(self, url, path, bodies, batch=1):
        self.host = urllib.parse.urlsplit(url)
        self.path, self.batch = path, batch
        # one event per request, or lists of up to ``batch`` events
        self.bodies = (
            bodies
            if batch == 1
            else [bodies[i : i + batch] for i in range(0, len(bodies), batch)]
        )
        self.latencies, self.inside, self.statuses, self.failures = [], [], [], []
        self.retries = 0
        self.finished = None

    async def post(self, body):
        data = json.dumps(body).encode()
        head = (
            f"POST {self.path} HTTP/1.1\r\nHost: {self.host.netloc}\r\n"
            f"Authorization: Bearer {PBX_TOKEN}\r\n"
            "Content-Type: application/json\r\nConnection: close\r\n"
            f"Content-Length: {len(data)}\r\n\r\n"
        )
        reader, writer = await asyncio.open_connection(self.host.hostname,
                                                       self.host.port)  # fmt: skip
        try:
            writer.write(head.encode() + data)
            await writer.drain()
            answer = await asyncio.wait_for(reader.read(), 120)
        finally:
            writer.close()
        head, _sep, content = answer.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1]) if lines[0] else 0
        return status, "\n".join(lines[1:]), content

    async def run(self):
        for body in self.bodies:
            start = time.perf_counter()
            for attempt in range(RETRIES + 1):
                error = None
                try:
                    status, headers, content = await self.post(body)
                except (OSError, asyncio.TimeoutError, ValueError, IndexError) as exc:
                    error = repr(exc)
                else:
                    if status == 200:
                        break
                    error = f"HTTP {status} {content[:200]!r}"
                    if status < 500 and status:
                        break  # refused: sending it again changes nothing
                if attempt < RETRIES:
                    # as a PBX does: the events are idempotent, so send again
                    self.retries += 1
                    await asyncio.sleep(0.1 * 2**attempt)
            events = body if self.batch > 1 else [body]
            if error:
                self.failures += [f"{event['call_id']}: {error}" for event in events]
                continue
            self.latencies.append((time.perf_counter() - start) * 1000)
            timing = re.search(r"app;dur=([\d.]+)", headers)
            if timing:
                self.inside.append(float(timing.group(1)))
            answer = json.loads(content)
            answers = answer if self.batch > 1 else [answer]
            self.statuses += [result["status"] for result in answers]
        self.finished = time.perf_counter()


async def send_all(senders):
    await asyncio.gather(*(sender.run() for sender in senders))


def callers_numbers(env, rng, count=2000):
    """Numbers to call from: bench contacts' (any style) and unknown ones."""
    env.cr.execute(
        "SELECT country, e164 FROM bench_pbx_number TABLESAMPLE SYSTEM (1) LIMIT %s",
        [count],
    )
    numbers = []
    for country, number in env.cr.fetchall():
        # the PBX is in Poland: foreign numbers come with their country code
        style = pick_style(rng, country, country == "PL")
        numbers.append(write_number(country, national_number(country, number),
                                    style, rng))  # fmt: skip
    numbers += [f"+4858{rng.randrange(10**7):07d}" for _ in range(count // 4)]
    return numbers


def percentile(values, share):
    return statistics.quantiles(values, n=100, method="inclusive")[share - 1]


def check_stored(env, run, calls, unique_events):
    """(events stored, calls stored, problems) of the run's calls."""
    cr = env.cr
    cr.execute(
        "SELECT count(*), count(DISTINCT call_id) FILTER (WHERE call_id IS NOT NULL) "
        "FROM crm_pbx_call_event WHERE call_uid LIKE %s",
        [f"bench-{run}-%"],
    )
    events, linked_calls = cr.fetchone()
    cr.execute(
        "SELECT call_uid, state, date_answer IS NOT NULL OR disposition = 'answered', "
        "(SELECT count(*) FROM crm_pbx_call_event e WHERE e.call_id = c.id) "
        "FROM crm_pbx_call c WHERE call_uid LIKE %s",
        [f"bench-{run}-%"],
    )
    stored = {row[0]: row[1:] for row in cr.fetchall()}
    problems = []
    for call in calls:
        row = stored.get(call["call_id"])
        if not row:
            problems.append(f"{call['call_id']}: no call")
            continue
        state, answered, count = row
        if state != "ended" or answered != call["answered"] or count != call["events"]:
            problems.append(f"{call['call_id']}: {state}, answered {answered}, "
                            f"{count} events; expected {call}")  # fmt: skip
    if events != unique_events:
        problems.append(f"{events} events stored, {unique_events} sent")
    return events, len(stored), linked_calls, problems


class Round:
    """The calls of one round, their senders, and what the run gave."""

    def __init__(self, rng, run, batch, numbers, extensions, now):
        self.run, self.batch = run, batch
        self.plans, self.calls = [], []
        for sender in range(SENDERS):
            plan, calls = sender_plan(rng, run, sender, numbers, extensions, now)
            self.plans.append(plan)
            self.calls += calls
        self.unique_events = sum(call["events"] for call in self.calls)
        self.events = sum(len(plan) for plan in self.plans)

    def send(self, url, path):
        self.senders = [Sender(url, path, plan, self.batch) for plan in self.plans]
        self.load_before = os.getloadavg()[0]
        start = time.perf_counter()
        asyncio.run(send_all(self.senders))
        self.seconds = max(s.finished for s in self.senders) - start
        self.load_after = os.getloadavg()[0]

    def check(self, env):
        self.stored, self.stored_calls, self.linked, self.problems = check_stored(
            env, self.run, self.calls, self.unique_events
        )

    def report(self):
        """Print the round's table; return (goal met, failures and problems)."""
        senders = self.senders
        latencies = [ms for s in senders for ms in s.latencies]
        inside = [ms for s in senders for ms in s.inside]
        statuses = collections.Counter(st for s in senders for st in s.statuses)
        failures = [f for s in senders for f in s.failures]
        answered = sum(statuses.values())
        requests = sum(len(s.bodies) for s in senders)
        per_request = (
            "one event per request"
            if self.batch == 1
            else f"up to {self.batch} events per request"
        )
        print(f"{SENDERS} senders, {len(self.calls)} calls, {self.events} events "
              f"({self.events - self.unique_events} duplicates) in {requests} "
              f"requests, {per_request}, odoo-bin --workers=2; load "
              f"{self.load_before:.2f} to {self.load_after:.2f} on "
              f"{os.cpu_count()} cores")  # fmt: skip
        rows = [
            ("events/s (events answered / s)", f"{answered / self.seconds:.1f}"),
            ("distinct events/s", f"{self.unique_events / self.seconds:.1f}"),
            ("run time", f"{self.seconds:.1f} s"),
            ("latency p50 / p99 / max (sender, per request)",
             f"{percentile(latencies, 50):.0f} / {percentile(latencies, 99):.0f} / "
             f"{max(latencies):.0f} ms"),
            ("inside Odoo p50 / p99 (Server-Timing, per request)",
             f"{percentile(inside, 50):.1f} / {percentile(inside, 99):.1f} ms"),
            ("events sent (distinct) / stored",
             f"{self.unique_events} / {self.stored}"),
            ("answers ok / duplicate / failed",
             f"{statuses['ok']} / {statuses['duplicate']} / {len(failures)}"),
            ("requests sent again (no answer, as a PBX retries)",
             f"{sum(s.retries for s in senders)}"),
            ("calls sent / stored / with events",
             f"{len(self.calls)} / {self.stored_calls} / {self.linked}"),
        ]  # fmt: skip
        width = max(len(row[0]) for row in rows)
        for name, value in rows:
            print(f"{name.ljust(width)}  {value}")
        met = answered / self.seconds >= GOAL_PER_SECOND
        goal = f"{'met' if met else 'MISSED'}" if self.batch == 1 else "not counted"
        print(f"goal >= {GOAL_PER_SECOND} events/s: {goal}; "
              f"events lost: {self.unique_events - self.stored}")  # fmt: skip
        return met, failures + self.problems


def main(config_path, db_name):
    with environment(config_path, db_name) as env:
        info = ensure_pbx_data(env)
        pbx = info["pbx"]
        rng = random.Random()
        run = f"{int(time.time()):x}"
        numbers = callers_numbers(env, rng)
        extensions = pbx.extension_ids.mapped("name")
        now = time.time()
        rounds = [
            Round(rng, f"{run}{batch}", batch, numbers, extensions, now)
            for batch in (1, BATCH)
        ]
        env.cr.rollback()

        path = f"/crm_pbx/{pbx.id}/events"
        with odoo_server(config_path, db_name, log_name="pbx-ingest") as (url, log):
            # warm both workers (registry, caches) with a few calls of their own
            warm_plan, _calls = sender_plan(
                rng, run + "w", 99, numbers, extensions, now
            )
            warm = [
                Sender(url, path, warm_plan[:8]),
                Sender(url, path, warm_plan[8:16]),
            ]
            asyncio.run(send_all(warm))
            for ingest_round in rounds:
                ingest_round.send(url, path)
        log_lines = log_problems(log)

        env.cr.rollback()
        env.invalidate_all()
        for ingest_round in rounds:
            ingest_round.check(env)
    problems = []
    for ingest_round in rounds:
        problems += ingest_round.report()[1]
        print()
    for line in problems[:10]:
        print(f"problem: {line}")
    if log_lines:
        print(f"server log: {len(log_lines)} warnings or errors, first: {log_lines[0]}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
