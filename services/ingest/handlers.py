"""Ingest edges: turn validated inbound events into durable canonical records, and the
raw-topic intake (validate → canonicalise → publish; failures → dead-letter topic)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

from aiokafka import ConsumerRecord
from faststream.kafka import KafkaBroker
from pydantic import ValidationError

from contracts import topics
from contracts.envelope import CloudEvent, kafka_headers
from contracts.errors import describe, summary
from contracts.inbound import InboundEvent, inbound_adapter
from runtime.health import Progress
from runtime.kafka import Outgoing, dead_letter, publish_all
from runtime.service import batch_consumer
from services.ingest.domain.canonicalise import canonicalise, route
from services.ingest.domain.pseudonymise import Pseudonymiser
from services.ingest.settings import IngestSettings

log = logging.getLogger("qualityloop.ingest")
SERVICE = "ingest"


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


def process_raw(record: ConsumerRecord[Any, Any], pseudonymiser: Pseudonymiser) -> Outgoing:
    """One raw record → its canonical record, or its dead letter naming what was wrong.

    CloudEvents Kafka binding, structured or binary content mode; refused for the same reasons
    as at HTTP (text, nesting, size, contract), each dead-lettered alone with field and reason.
    """
    from services.ingest.domain import cloudevents as ce  # the envelope normaliser (pure)
    from services.ingest.domain.jsonbody import Refused, check_size
    from services.ingest.domain.jsonbody import summary as refused_summary

    try:
        envelope = ce.from_kafka(record.headers or (), record.value)
        inbound: InboundEvent[Any] = inbound_adapter.validate_python(envelope.event)
        source = inbound.source or f"/kafka/{record.topic}"
        # canonicalise re-validates: e.g. redaction may push a text over its limit
        out = to_record(canonicalise(inbound, source, pseudonymiser), envelope.traceparent)
        check_size(out.value)
    except Refused as err:
        return dead_letter(record, SERVICE, refused_summary(err.errors), list(err.errors))
    except ValidationError as err:
        return dead_letter(record, SERVICE, summary(err), list(describe(err)))
    return out


def register(
    broker: KafkaBroker,
    settings: IngestSettings,
    pseudonymiser: Pseudonymiser,
    progress: list[Progress] | None = None,
) -> None:
    async def on_raw(records: tuple[ConsumerRecord[Any, Any], ...]) -> None:
        out = [process_raw(r, pseudonymiser) for r in records]
        # Committed only once every output is acknowledged; outputs keep the source event id,
        # so a retried batch dedupes downstream.
        await publish_durably(broker, out, settings.publish_timeout_s * 3)  # refused → DLQ

    batch_consumer(
        broker,
        settings,
        [t.name for t in topics.RAW],
        "qualityloop-ingest-raw",
        "Source systems' raw events: validated, canonicalised or dead-lettered.",
        on_raw,
        progress,
    )
