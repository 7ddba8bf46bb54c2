"""Raw-topic intake through the real broker: poison messages go to the dead-letter topic with
their reason and origin while good messages flow to the canonical topic, pseudonymised."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator

import pytest
from aiokafka import AIOKafkaProducer

from contracts import topics
from services.ingest.app import build
from services.ingest.settings import IngestSettings
from tests import factories as f
from tests.conftest import Servers
from tests.kafka_helpers import skip_backlog
from tests.topic_reader import end_offsets, read_from


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
