"""Kafka wiring: a durable producer configuration, topic creation, batched publishing, DLQ."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiokafka import ConsumerRecord
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import (
    MessageSizeTooLargeError,
    RecordTooLargeError,
    TopicAlreadyExistsError,
    TopicAuthorizationFailedError,
    for_code,
)
from faststream.kafka import KafkaBroker

from contracts.topics import DEADLETTER, Topic
from runtime.kafka_security import broker_security, client_options, kafka_settings
from runtime.settings import KafkaSettings

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


def make_broker(
    kafka: KafkaSettings | str, client_id: str, graceful_timeout: float = 20.0
) -> KafkaBroker:
    kafka = kafka_settings(kafka)
    return KafkaBroker(
        kafka.kafka_bootstrap_servers,
        client_id=client_id,
        graceful_timeout=graceful_timeout,
        security=broker_security(kafka),
        allow_auto_create_topics=False,  # ensure_topics (or, with ACLs, the admin) makes them
        # FastStream logs through our JSON handler; per-message access lines only at DEBUG.
        logger=logging.getLogger(f"qualityloop.{client_id}.faststream"),
        log_level=logging.DEBUG,
        **PRODUCER_OPTIONS,
    )


async def ensure_topics(kafka: KafkaSettings | str, topics: Iterable[Topic]) -> None:
    """Create the topics this service touches (idempotent; existing topics are left alone).
    A principal not allowed to create topics (a cluster with ACLs, where an administrator
    creates them) carries on: a topic really missing fails at the first produce or fetch."""
    admin = AIOKafkaAdminClient(**client_options(kafka), client_id="qualityloop-admin")
    await admin.start()
    try:
        existing = set(await admin.list_topics())  # only the topics this principal may see
        wanted = [
            NewTopic(t.name, t.partitions, 1, topic_configs=t.config())
            for t in topics
            if t.name not in existing
        ]
        if wanted:
            response = await admin.create_topics(wanted)
            errors = {name: for_code(code) for name, code, *_ in response.topic_errors if code}
            for name, error in errors.items():
                if error not in (TopicAlreadyExistsError, TopicAuthorizationFailedError):
                    raise error(f"creating topic {name}")  # (exists: another service was first)
            if denied := sorted(n for n, e in errors.items() if e is TopicAuthorizationFailedError):
                log.info("not this principal's to create (left to an administrator): %s", denied)
            log.info("created topics", extra={"count": len(wanted) - len(errors)})
    finally:
        await admin.close()


@dataclass(frozen=True, slots=True)
class Outgoing:
    topic: str
    key: bytes
    value: bytes
    headers: dict[str, str]


# What the broker refuses for the record itself (retrying cannot help).
REFUSED_BY_BROKER = (MessageSizeTooLargeError, RecordTooLargeError)
# A dead letter carries at most this much of the original; larger payloads are cut, with the
# original's size and SHA-256 in headers (the original stays at its source topic and offset).
DLQ_PAYLOAD_BYTES = 64 * 1024
DLQ_HEADER_BYTES = 4 * 1024
DLQ_HEADERS = 64


async def publish_all(broker: KafkaBroker, records: Sequence[Outgoing], service: str = "") -> None:
    """Send every record without awaiting each, then wait until all are acknowledged (acks=all).

    A record the broker refuses as such (too large) is replaced by its dead letter, so one
    record never blocks the rest; any other failure raises: the caller has not committed its
    input, so it will be retried.
    """
    futures: list[Any] = []
    sent: list[Outgoing] = []
    refused: list[tuple[Outgoing, Exception]] = []
    for r in records:
        try:
            futures.append(
                await broker.publish(
                    r.value, r.topic, key=r.key, headers=r.headers, no_confirm=True
                )
            )
            sent.append(r)
        except REFUSED_BY_BROKER as err:
            refused.append((r, err))
    results = await asyncio.gather(*futures, return_exceptions=True)
    for r, result in zip(sent, results, strict=True):
        if isinstance(result, REFUSED_BY_BROKER):
            refused.append((r, result))
        elif isinstance(result, BaseException):
            raise result
    if refused:
        log.error("broker refused %d record(s); dead-lettered", len(refused))
        await publish_all(broker, [refused_letter(r, e, service) for r, e in refused], service)


def _clip(value: bytes, limit: int) -> tuple[bytes, dict[str, str]]:
    if len(value) <= limit:
        return value, {}
    return value[:limit], {
        "dlq_truncated": "true",
        "dlq_original_bytes": str(len(value)),
        "dlq_original_sha256": hashlib.sha256(value).hexdigest(),
    }


def _text(value: Any) -> str:
    if value is None:
        return ""
    raw = value if isinstance(value, bytes) else str(value).encode(errors="replace")
    return raw[:DLQ_HEADER_BYTES].decode(errors="replace")


def dead_letter(
    record: ConsumerRecord[Any, Any],
    service: str,
    reason: str,
    errors: list[Any] | None = None,
) -> Outgoing:
    """The original bytes and headers (cut to a size Kafka always accepts), plus headers
    naming the error, origin and time. Null or binary header values are kept as text."""
    headers = {_text(k): _text(v) for k, v in list(record.headers or ())[:DLQ_HEADERS]}
    value, clipped = _clip(record.value or b"", DLQ_PAYLOAD_BYTES)
    headers.update(clipped)
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
    key = (record.key or b"")[:1024]
    return Outgoing(DEADLETTER.name, key, value, headers)


def refused_letter(out: Outgoing, err: Exception, service: str) -> Outgoing:
    """An output the broker refused, parked on the dead-letter topic with the reason."""
    value, clipped = _clip(out.value, DLQ_PAYLOAD_BYTES)
    reason = f"broker refused the output: {type(err).__name__}: {err}"[:1000]
    headers = {k: v[:DLQ_HEADER_BYTES] for k, v in out.headers.items()} | clipped
    headers |= {
        "dlq_reason": reason,
        "dlq_errors": json.dumps([{"field": "(record)", "reason": reason}]),
        "dlq_service": service,
        "dlq_target_topic": out.topic,
        "dlq_time": datetime.now(UTC).isoformat(),
    }
    return Outgoing(DEADLETTER.name, out.key[:1024], value, headers)


def header(record: ConsumerRecord[Any, Any], name: str) -> str | None:
    for key, value in record.headers or ():
        if key == name and value is not None:
            return value.decode(errors="replace") if isinstance(value, bytes) else str(value)
    return None
