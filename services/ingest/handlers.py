"""Ingest's raw-topic intake: validate → canonicalise → publish; failures → dead-letter topic."""

from __future__ import annotations

from typing import Any

from aiokafka import ConsumerRecord
from faststream.kafka import KafkaBroker
from pydantic import ValidationError

from contracts import topics
from contracts.errors import describe, summary
from contracts.inbound import InboundEvent, inbound_adapter
from runtime.health import Progress
from runtime.kafka import Outgoing, dead_letter
from runtime.service import batch_consumer
from services.ingest.domain import cloudevents as ce
from services.ingest.domain.canonicalise import canonicalise
from services.ingest.domain.jsonbody import Refused, check_size
from services.ingest.domain.jsonbody import summary as refused_summary
from services.ingest.domain.pseudonymise import Pseudonymiser
from services.ingest.names import CONSUMER, SERVICE
from services.ingest.publishing import publish_durably, to_record
from services.ingest.settings import IngestSettings


def process_raw(record: ConsumerRecord[Any, Any], pseudonymiser: Pseudonymiser) -> Outgoing:
    """One raw record → its canonical record, or its dead letter naming what was wrong.

    CloudEvents Kafka binding, structured or binary content mode; refused for the same reasons
    as at HTTP (text, nesting, size, contract), each dead-lettered alone with field and reason.
    """
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
        CONSUMER,
        "Source systems' raw events: validated, canonicalised or dead-lettered.",
        on_raw,
        progress,
    )
