"""Kill the reporting service (SIGKILL) repeatedly while it projects, restart it each time:
every contact is counted exactly once (Postgres' positions and inbox decide what was applied,
whatever Kafka's committed offsets say)."""

from __future__ import annotations

import asyncio
import signal
import uuid
from datetime import timedelta

import asyncpg
from aiokafka import AIOKafkaProducer

from contracts import topics
from services.reporting.names import CONSUMER, TOPICS
from tests import factories as f
from tests.conftest import Servers
from tests.kafka_helpers import skip_backlog
from tests.processes import Service, free_port
from tests.scored_events import scored_event


async def offered(db: asyncpg.Connection, queue: str) -> int:
    got = await db.fetchval(
        "SELECT coalesce(sum(offered), 0) FROM reporting.interval_counters WHERE queue = $1", queue
    )
    return int(got)


async def test_repeated_sigkill_loses_nothing_and_counts_nothing_twice(servers: Servers) -> None:
    queue = f"q-{uuid.uuid4().hex[:6]}"
    events = [
        scored_event(
            f.interaction(queue=queue, agent=f"a{n % 7}", offered=f.T0 + timedelta(seconds=9 * n))
        )
        for n in range(2000)
    ]
    await skip_backlog(servers.kafka, CONSUMER, TOPICS)
    env = {
        "KAFKA_BOOTSTRAP_SERVERS": servers.kafka,
        "DATABASE_URL": servers.database_url,
        "BATCH_TIMEOUT_MS": "20",
        "BATCH_MAX_RECORDS": "50",  # many small transactions: kills land between and inside
    }
    producer = AIOKafkaProducer(bootstrap_servers=servers.kafka, acks="all", linger_ms=5)
    await producer.start()
    for e in events:
        await producer.send(topics.SCORES.name, e.model_dump_json().encode(), key=b"k")
    await producer.flush()
    await producer.stop()
    db = await asyncpg.connect(servers.database_url)
    kills = 0
    try:
        while True:
            svc = Service("reporting", free_port(), env)
            svc.start()
            await asyncio.to_thread(svc.wait_ready)
            before = await offered(db, queue)
            for _ in range(200):  # let it apply some batches, then kill it mid-flight
                await asyncio.sleep(0.05)
                if await offered(db, queue) > before + 300 or before == len(events):
                    break
            done = await offered(db, queue)
            if done >= len(events) or kills == 4:
                break
            svc.stop(signal.SIGKILL)
            kills += 1
        for _ in range(240):
            if await offered(db, queue) >= len(events):
                break
            await asyncio.sleep(0.25)
        await asyncio.sleep(1)  # anything counted twice would show now
        svc.stop()
        assert kills >= 2, "the service finished before it could be killed twice"
        assert await offered(db, queue) == len(events)
        facts = await db.fetchval(
            "SELECT count(*) FROM reporting.interaction_facts WHERE queue = $1", queue
        )
        assert facts == len(events)
    finally:
        await db.close()
