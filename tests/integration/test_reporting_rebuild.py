"""Rebuild by replay through real Kafka and Postgres: the rebuilt projections equal the live
ones, and a rebuild while events keep flowing loses nothing and counts nothing twice."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import asyncpg
import pytest

from runtime.db import migrate
from services.reporting.app import build
from services.reporting.names import CONSUMER, MIGRATIONS, TOPICS
from services.reporting.settings import ReportingSettings
from services.reporting.write.rebuild import rebuild
from services.reporting.write.store.swap import projection_tables
from tests import factories as f
from tests.conftest import Servers
from tests.kafka_helpers import end_offsets, rewind
from tests.reporting_events import action_events, alert_event, publish
from tests.scored_events import complaint, scored_event, survey

VOLATILE = {"inbox": "applied_at", "consumer_positions": "updated_at"}  # now() at apply time


async def fresh_database(admin_url: str) -> str:
    name = f"ql_rebuild_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return admin_url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture
async def live(servers: Servers) -> AsyncIterator[tuple[Any, asyncpg.Pool]]:
    """A reporting service on a database of its own, consuming every topic from the start."""
    url = await fresh_database(servers.admin_url)
    await migrate(MIGRATIONS, url, "reporting")
    await rewind(servers.kafka, CONSUMER, TOPICS)
    app = build(ReportingSettings(kafka_bootstrap_servers=servers.kafka, database_url=url))
    pool = await asyncpg.create_pool(url, min_size=1, max_size=4)
    async with app.router.lifespan_context(app):
        yield app, pool
    await pool.close()


async def caught_up(pool: asyncpg.Pool, bootstrap: str, within_s: float = 120) -> None:
    ends = await end_offsets(bootstrap, TOPICS)
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        rows = await pool.fetch(
            "SELECT topic, partition, next_offset FROM reporting.consumer_positions "
            "WHERE consumer = $1",
            CONSUMER,
        )
        done = {(r["topic"], r["partition"]): r["next_offset"] for r in rows}
        if all(done.get(tp, 0) >= o for tp, o in ends.items()):
            return
        await asyncio.sleep(0.3)
    raise AssertionError("live reporting did not catch up with Kafka")


async def snapshot(pool: asyncpg.Pool) -> dict[str, list[str]]:
    out = {}
    async with pool.acquire() as conn:
        for table in await projection_tables(conn):
            # Sums of floats depend on the order they were added in (a rebuild's batches are
            # not the live ones): doubles are compared to 6 decimal places, not bits.
            cols = [
                f"round({r['column_name']}::numeric, 6)"
                if r["data_type"] == "double precision"
                else r["column_name"]
                for r in await conn.fetch(
                    "SELECT column_name, data_type FROM information_schema.columns "
                    "WHERE table_schema = 'reporting' AND table_name = $1 "
                    "ORDER BY ordinal_position",
                    table,
                )
                if r["column_name"] != VOLATILE.get(table)
            ]
            rows = await conn.fetch(f"SELECT ({', '.join(cols)})::text AS r FROM reporting.{table}")
            out[table] = sorted(r["r"] for r in rows)
    return out


def day_of_events(queue: str, n: int) -> list[Any]:
    events: list[Any] = []
    for i in range(n):
        raw = f.interaction(
            queue=queue, agent=f"a{i % 5}", wait=3 + i % 40, offered=f.T0 + timedelta(minutes=i)
        )
        events.append(scored_event(raw))
        if i % 10 == 0:  # a correction: a newer scored event for the same interaction
            events.append(scored_event(raw | {"id": raw["id"] + "-v2"}))
    events += [survey(queue, 1 + i % 5, i % 11, 1 + i % 7) for i in range(30)]
    for i in range(12):
        events += complaint(queue, None if i % 3 == 0 else 5.0 + i, i)
    events += action_events("t1", "a1", f.T0) + action_events("t1", "a2", f.T0, evaluated=False)
    events.append(alert_event(queue, f.T0))
    return events


def own(snap: dict[str, list[str]], queue: str) -> dict[str, list[str]]:
    """Other suites' complaint events (schemathesis sends random lifecycle events that reuse
    complaint ids across ql.complaints and ql.scores) project differently under another
    cross-topic interleaving: a known order dependence of *conflicting* lifecycle events,
    left for issue 15 (corrections). Complaint rows are compared for this test's own."""
    return {**snap, "complaint_facts": [r for r in snap["complaint_facts"] if queue in r]}


async def offered(pool: asyncpg.Pool, queue: str) -> int:
    got = await pool.fetchval(
        "SELECT coalesce(sum(offered), 0) FROM reporting.interval_counters WHERE queue = $1",
        queue,
    )
    return int(got)


async def test_rebuild_equals_live_and_loses_nothing_under_traffic(
    servers: Servers, live: tuple[Any, asyncpg.Pool]
) -> None:
    _, pool = live
    q1, q2 = f"q-{uuid.uuid4().hex[:6]}", f"q-{uuid.uuid4().hex[:6]}"
    await publish(servers.kafka, day_of_events(q1, 300), poison=2)
    await caught_up(pool, servers.kafka)
    before = await snapshot(pool)
    assert await offered(pool, q1) == 300

    report = await rebuild(pool, servers.kafka, batch=2000, say=lambda _: None)
    print(f"\nrebuild: {report.events} events in {report.seconds:.2f} s = {report.rate:,.0f}/s")
    assert report.undecodable >= 2
    assert own(await snapshot(pool), q1) == own(before, q1)  # rebuilt equals live, row for row

    # Rebuild again while another queue's events keep arriving: after the swap the live
    # consumer carries on from where the rebuilt tables stop.
    more = [scored_event(f.interaction(queue=q2, offered=f.T0)) for _ in range(400)]
    task = asyncio.create_task(rebuild(pool, servers.kafka, batch=500, say=lambda _: None))
    for chunk in range(0, 400, 50):
        await publish(servers.kafka, more[chunk : chunk + 50])
        await asyncio.sleep(0.05)
    await task
    await caught_up(pool, servers.kafka)
    assert await offered(pool, q2) == 400
    assert await offered(pool, q1) == 300
    after = await snapshot(pool)
    before, after = own(before, q1), own(after, q1)
    assert {
        t: rows
        for t, rows in after.items()
        if t
        not in {"inbox", "consumer_positions", "interaction_facts", "interval_counters", "targets"}
    } == {
        t: rows
        for t, rows in before.items()
        if t
        not in {"inbox", "consumer_positions", "interaction_facts", "interval_counters", "targets"}
    }
    evaluated = await pool.fetchval(
        "SELECT count(*) FROM reporting.actions WHERE status = 'evaluated' "
        "AND evaluation->>'verdict' = 'improved' AND team_id = 't1' AND evaluation IS NOT NULL"
    )
    assert evaluated >= 1
