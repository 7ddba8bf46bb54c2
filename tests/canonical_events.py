"""Canonical events onto their topics, as ingest would publish them (validated, pseudonymised,
routed and keyed), for tests that drive scoring through the real broker."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aiokafka import AIOKafkaProducer

from contracts.inbound import inbound_adapter
from services.ingest.domain.canonicalise import canonicalise, route
from services.ingest.domain.pseudonymise import Pseudonymiser

P = Pseudonymiser("k", b"s")


async def publish_canonical(bootstrap: str, raws: Sequence[dict[str, Any]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for raw in raws:
            event = canonicalise(inbound_adapter.validate_python(raw), "/test", P)
            topic, key = route(event)
            await producer.send(topic.name, event.model_dump_json().encode(), key=key)
        await producer.flush()
    finally:
        await producer.stop()
