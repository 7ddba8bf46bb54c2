"""Ingest's way out: canonical events become durable Kafka records (acks=all, idempotent
producer). Shared by the HTTP API, the raw-topic consumer and backfill."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

from contracts.envelope import CloudEvent, kafka_headers
from runtime.kafka import Outgoing, publish_all
from services.ingest.domain.canonicalise import route
from services.ingest.names import SERVICE

log = logging.getLogger("qualityloop.ingest")


class BrokerUnavailable(Exception):
    """Kafka did not acknowledge in time: the client should retry later (HTTP 503)."""


def to_record(event: CloudEvent[Any], traceparent: str | None = None) -> Outgoing:
    topic, key = route(event)
    extra = {"traceparent": traceparent} if traceparent else None
    return Outgoing(topic.name, key, event.model_dump_json().encode(), kafka_headers(event, extra))


async def publish_durably(broker: Any, records: Sequence[Outgoing], timeout_s: float) -> None:
    """Return only once Kafka acknowledged every record (acks=all), else BrokerUnavailable."""
    try:
        await asyncio.wait_for(publish_all(broker, records, SERVICE), timeout_s)
    except Exception as exc:  # aiokafka raises several error types; all mean "not durable"
        log.warning("publish failed: %s", type(exc).__name__)
        raise BrokerUnavailable(str(exc) or type(exc).__name__) from exc
