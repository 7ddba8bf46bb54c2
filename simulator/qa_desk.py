"""The QA desk: evaluators working through what the monitoring plan assigned.

Scoring's monitoring plan picks interactions for human evaluation (`evaluation.assigned` on
ql.assignments: a stratified random sample plus risk picks). The desk reads those assignments for
the simulated contacts and submits an evaluation of each through ingest — closing the loop
monitoring → evaluation as a real QA team would."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Mapping
from datetime import timedelta

import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition

from contracts import topics
from contracts.events import EvaluationAssignedEvent
from runtime.kafka_security import client_options
from simulator.contacts import Contact
from simulator.evaluations import EVALUATORS, evaluation


async def work_assignments(
    bootstrap: str,
    contacts: Mapping[str, Contact],
    ingest_url: str,
    key: str,
    seed: int,
    quiet_s: float = 6.0,
    limit_s: float = 120.0,
) -> list[str]:
    """Evaluate every assignment for `contacts` (returns the interactions evaluated); stops
    after `quiet_s` without a new assignment."""
    rng = random.Random(seed * 31 + 5)
    consumer = AIOKafkaConsumer(
        **client_options(bootstrap), group_id=None, enable_auto_commit=False
    )
    await consumer.start()
    done: dict[str, str] = {}  # assignment id → interaction id
    try:
        cluster = await consumer._client.fetch_all_metadata()
        name = topics.ASSIGNMENTS.name
        parts = [TopicPartition(name, p) for p in sorted(cluster.partitions_for_topic(name) or ())]
        consumer.assign(parts)
        await consumer.seek_to_beginning(*parts)
        started = last = time.monotonic()
        async with httpx.AsyncClient(
            base_url=ingest_url, headers={"Authorization": f"Bearer {key}"}, timeout=60
        ) as http:
            while time.monotonic() - last < quiet_s and time.monotonic() - started < limit_s:
                got = await consumer.getmany(timeout_ms=500, max_records=2000)
                batch = []
                for record in (r for rs in got.values() for r in rs):
                    a = EvaluationAssignedEvent.model_validate_json(record.value).data
                    c = contacts.get(a.interaction_id)
                    if c is None or a.assignment_id in done or c.agent is None:
                        continue
                    done[a.assignment_id] = a.interaction_id
                    at = c.ended_at + timedelta(minutes=rng.randint(30, 180))
                    batch.append(evaluation(rng, c, rng.choice(EVALUATORS), at))
                if batch:
                    last = time.monotonic()
                    for start in range(0, len(batch), 1000):
                        r = await http.post("/v1/events/batch", json=batch[start : start + 1000])
                        r.raise_for_status()
                await asyncio.sleep(0)
    finally:
        await consumer.stop()
    return sorted(set(done.values()))
