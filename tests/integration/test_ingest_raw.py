"""Raw-topic intake through the real broker: poison messages go to the dead-letter topic with
their reason and origin while good messages flow to the canonical topic, pseudonymised."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from contracts import topics
from services.ingest.app import build
from services.ingest.settings import IngestSettings
from tests import factories as f
from tests.conftest import Servers
from tests.kafka_helpers import skip_backlog


@pytest.fixture
async def ingest(servers: Servers) -> AsyncIterator[None]:
    await skip_backlog(servers.kafka, "qualityloop-ingest-raw", [t.name for t in topics.RAW])
    app = build(
        IngestSettings(
            kafka_bootstrap_servers=servers.kafka,
            database_url=servers.database_url,
            batch_timeout_ms=50,
        )
    )
    async with app.router.lifespan_context(app):
        yield


async def end_offsets(bootstrap: str, topic: str) -> dict[TopicPartition, int]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await consumer.start()
    try:
        parts = [TopicPartition(topic, p) for p in await partitions(consumer, topic)]
        return await consumer.end_offsets(parts)
    finally:
        await consumer.stop()


async def partitions(consumer: AIOKafkaConsumer, topic: str) -> set[int]:
    for _ in range(20):  # metadata for a topic arrives with the first refresh
        found = consumer.partitions_for_topic(topic)
        if found:
            return set(found)
        await consumer._client.force_metadata_update()
    raise AssertionError(f"no partitions for {topic}")


async def read_from(
    bootstrap: str, start: dict[TopicPartition, int], want: int, match: str, wait_s: float = 30
) -> list[Any]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    consumer.assign(list(start))
    for tp, offset in start.items():
        consumer.seek(tp, offset)
    found: list[Any] = []
    try:
        deadline = asyncio.get_running_loop().time() + wait_s
        while len(found) < want and asyncio.get_running_loop().time() < deadline:
            batches = await consumer.getmany(timeout_ms=500)
            for recs in batches.values():
                found += [
                    r
                    for r in recs
                    if match.encode() in (r.value or b"")
                    or any(match.encode() in v for _, v in r.headers)
                ]
    finally:
        await consumer.stop()
    return found


async def test_poison_goes_to_dlq_while_good_messages_flow(ingest: None, servers: Servers) -> None:
    marker = uuid.uuid4().hex
    dlq_start = await end_offsets(servers.kafka, topics.DEADLETTER.name)
    canon_start = await end_offsets(servers.kafka, topics.INTERACTIONS.name)
    good = [
        f.interaction(
            queue=f"q{marker}",
            customer={"phone": "07700 900123"},
            transcript="call me on 07700 900123",
        )
        for _ in range(5)
    ]
    poison = [
        b"\x00\xffnot json" + marker.encode(),
        json.dumps({"id": marker, "type": "io.qualityloop.interaction.completed"}).encode(),
        json.dumps(f.interaction(queue=f"q{marker}") | {"type": "unknown." + marker}).encode(),
    ]
    producer = AIOKafkaProducer(bootstrap_servers=servers.kafka, acks="all")
    await producer.start()
    try:
        for n, value in enumerate(
            [*poison[:2], *(json.dumps(g).encode() for g in good), poison[2]]
        ):
            await producer.send_and_wait(
                topics.RAW_INTERACTIONS.name,
                value,
                key=f"k{n}".encode(),
                headers=[("m", marker.encode())],
            )
    finally:
        await producer.stop()

    dead = await read_from(servers.kafka, dlq_start, 3, marker)
    assert len(dead) == 3
    for record in dead:
        headers = {k: v.decode() for k, v in record.headers}
        assert headers["dlq_source_topic"] == topics.RAW_INTERACTIONS.name
        assert headers["dlq_reason"] and headers["dlq_time"] and headers["dlq_source_offset"]
        assert headers["m"] == marker  # the original headers travel with the original bytes
    reasons = " ".join(dict(r.headers)["dlq_reason"].decode() for r in dead)
    assert "invalid JSON" in reasons or "Invalid JSON" in reasons
    assert "type" in reasons and "data" in reasons
    assert any(r.value == poison[0] for r in dead)

    canonical = await read_from(servers.kafka, canon_start, 5, f"q{marker}")
    assert len(canonical) == 5
    for record in canonical:
        assert b"900123" not in record.value
        assert json.loads(record.value)["data"]["customer"]["key_id"] == "dev"
