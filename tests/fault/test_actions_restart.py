"""Kill the actions service (SIGKILL) mid-window and restart it: the half-full window is
neither forgotten nor double counted, and exactly one action is raised."""

from __future__ import annotations

import asyncio
import signal
import uuid
from datetime import timedelta

import asyncpg
from aiokafka import AIOKafkaProducer

from contracts import topics
from tests import factories as f
from tests.conftest import Servers
from tests.kafka_helpers import skip_backlog
from tests.processes import Service, free_port
from tests.scored_events import scored_event, with_auto_qa


async def test_sigkill_mid_window_neither_forgets_nor_double_counts(servers: Servers) -> None:
    team = f"team-{uuid.uuid4().hex[:6]}"
    events = [
        with_auto_qa(
            scored_event(
                f.interaction(agent=f"{team}-a{a}", team=team, offered=f.T0 + timedelta(minutes=n))
            ),
            summary_ok=n % 4 == 0,
        )
        for n in range(20)
        for a in range(4)  # interleaved, as a real day would be
    ]
    await skip_backlog(servers.kafka, "qualityloop-actions", [topics.SCORES.name])
    env = {
        "KAFKA_BOOTSTRAP_SERVERS": servers.kafka,
        "DATABASE_URL": servers.database_url,
        "BATCH_TIMEOUT_MS": "50",
        "BATCH_MAX_RECORDS": "7",
    }
    producer = AIOKafkaProducer(bootstrap_servers=servers.kafka, acks="all")
    await producer.start()
    db = await asyncpg.connect(servers.database_url)
    try:
        first = Service("actions", free_port(), env)
        first.start()
        await asyncio.to_thread(first.wait_ready)
        for e in events[:36]:  # under the 10-per-agent minimum: the window is half full
            await producer.send(
                topics.SCORES.name,
                e.model_dump_json().encode(),
                key=e.data.interaction.agent_id.encode(),
            )
        await producer.flush()
        for _ in range(80):
            stored = await db.fetchval(
                "SELECT count(*) FROM actions.observations WHERE team_id = $1 AND metric = $2",
                team,
                "auto_qa_score",
            )
            if stored >= 20:
                break
            await asyncio.sleep(0.05)
        first.stop(signal.SIGKILL)  # mid-stream, batches possibly in flight
        assert (
            await db.fetchval("SELECT count(*) FROM actions.actions WHERE team_id = $1", team) == 0
        )

        for e in events[36:]:
            await producer.send(
                topics.SCORES.name,
                e.model_dump_json().encode(),
                key=e.data.interaction.agent_id.encode(),
            )
        await producer.flush()
        second = Service("actions", free_port(), env)
        second.start()
        try:
            await asyncio.to_thread(second.wait_ready)
            for _ in range(120):
                stored = await db.fetchval(
                    "SELECT count(*) FROM actions.observations WHERE team_id = $1 AND metric = $2",
                    team,
                    "auto_qa_score",
                )
                if stored == len(events):
                    break
                await asyncio.sleep(0.25)
            await asyncio.sleep(1)
        finally:
            second.stop()
        assert stored == len(events), "every observation once: none lost, none doubled"
        rows = await db.fetch(
            "SELECT kind, scope_type FROM actions.actions WHERE team_id = $1", team
        )
        assert [(r["kind"], r["scope_type"]) for r in rows] == [("improvement", "team")]
    finally:
        await producer.stop()
        await db.close()
