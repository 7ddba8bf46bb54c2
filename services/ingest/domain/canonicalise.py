"""Inbound event (as a source system sent it) → canonical event (safe to publish). Pure."""

from __future__ import annotations

from typing import Any

from contracts.envelope import CloudEvent
from contracts.events import EVENT_CLASSES, dataschema_for
from contracts.inbound import InboundEvent
from contracts.topics import TOPIC_FOR_TYPE, Topic, partition_key
from services.ingest.domain.pseudonymise import Pseudonymiser
from services.ingest.domain.redact import redact

FREE_TEXT_FIELDS = ("transcript", "verbatim", "description", "note", "resolution", "comments")


def canonicalise(
    inbound: InboundEvent[Any], source: str, pseudonymiser: Pseudonymiser
) -> CloudEvent[Any]:
    """Pseudonymise customer identifiers and redact free text; record the source system."""
    data: dict[str, Any] = dict(inbound.data)
    customer = data.get("customer")
    if customer is not None:
        data["customer"] = pseudonymiser.ref(customer)
    for name in FREE_TEXT_FIELDS:
        if isinstance(data.get(name), str):
            data[name] = redact(data[name])
    if "answers" in data:  # evaluator comments per criterion are free text too
        data["answers"] = [
            a.model_copy(update={"comment": redact(a.comment)}) if a.comment else a
            for a in data["answers"]
        ]
    cls = EVENT_CLASSES[inbound.type]
    return cls.model_validate(
        {
            "id": inbound.id,
            "source": source,
            "type": inbound.type,
            "time": inbound.time,
            "subject": inbound.subject,
            "dataschema": dataschema_for(inbound.type),
            "data": {k: _plain(v) for k, v in data.items()},
        }
    )


def _plain(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def route(event: CloudEvent[Any]) -> tuple[Topic, bytes]:
    """The canonical topic and partition key of an event (see contracts.topics)."""
    data = event.data
    topic = TOPIC_FOR_TYPE[event.type]
    key = partition_key(
        getattr(data, "complaint_id", None),
        getattr(data, "agent_id", None),
        getattr(data, "interaction_id", None),
        event.id,
    )
    return topic, key
