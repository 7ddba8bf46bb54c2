"""Kafka wiring: a durable producer configuration, topic creation, batched publishing, DLQ."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiokafka import ConsumerRecord
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from faststream.kafka import KafkaBroker

from contracts.topics import DEADLETTER, Topic

log = logging.getLogger("qualityloop.kafka")

# Durable producer: every accepted write is on all in-sync replicas, retries cannot duplicate,
# and sends are batched (linger) rather than awaited one by one.
PRODUCER_OPTIONS: dict[str, Any] = {
    "acks": "all",
    "enable_idempotence": True,
    "linger_ms": 5,
    "max_batch_size": 256 * 1024,
    "request_timeout_ms": 15_000,
}


def make_broker(bootstrap: str, client_id: str, graceful_timeout: float = 20.0) -> KafkaBroker:
    return KafkaBroker(
        bootstrap,
        client_id=client_id,
        graceful_timeout=graceful_timeout,
        # FastStream logs through our JSON handler; per-message access lines only at DEBUG.
        logger=logging.getLogger(f"qualityloop.{client_id}.faststream"),
        log_level=logging.DEBUG,
        **PRODUCER_OPTIONS,
    )


async def ensure_topics(bootstrap: str, topics: Iterable[Topic]) -> None:
    """Create the topics this service touches (idempotent; existing topics are left alone)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="qualityloop-admin")
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        wanted = [
            NewTopic(t.name, t.partitions, 1, topic_configs=t.config())
            for t in topics
            if t.name not in existing
        ]
        if wanted:
            try:
                await admin.create_topics(wanted)
            except TopicAlreadyExistsError:
                pass  # another service created it first
            log.info("created topics", extra={"count": len(wanted)})
    finally:
        await admin.close()


@dataclass(frozen=True, slots=True)
class Outgoing:
    topic: str
    key: bytes
    value: bytes
    headers: dict[str, str]


async def publish_all(broker: KafkaBroker, records: Sequence[Outgoing]) -> None:
    """Send every record without awaiting each, then wait until all are acknowledged (acks=all).

    Raises if any send failed: the caller has not committed its input, so it will be retried.
    """
    futures = [
        await broker.publish(r.value, r.topic, key=r.key, headers=r.headers, no_confirm=True)
        for r in records
    ]
    if futures:
        await asyncio.gather(*futures)


def dead_letter(
    record: ConsumerRecord[Any, Any],
    service: str,
    reason: str,
    errors: list[Any] | None = None,
) -> Outgoing:
    """The original bytes and headers, plus headers naming the error, origin and time."""
    headers = {k: v.decode(errors="replace") for k, v in (record.headers or ())}
    headers.update(
        {
            "dlq_reason": reason[:1000],
            "dlq_errors": json.dumps(errors or [])[:8000],
            "dlq_service": service,
            "dlq_source_topic": record.topic,
            "dlq_source_partition": str(record.partition),
            "dlq_source_offset": str(record.offset),
            "dlq_time": datetime.now(UTC).isoformat(),
        }
    )
    return Outgoing(DEADLETTER.name, record.key or b"", record.value or b"", headers)


def header(record: ConsumerRecord[Any, Any], name: str) -> str | None:
    for key, value in record.headers or ():
        if key == name:
            return value.decode(errors="replace") if isinstance(value, bytes) else str(value)
    return None
