"""Inbound event (as a source system sent it) → canonical event (safe to publish). Pure."""

from __future__ import annotations

from typing import Any, cast

from pydantic import BaseModel

from contracts.envelope import CloudEvent
from contracts.events import EVENT_CLASSES, dataschema_for
from contracts.inbound import InboundEvent
from contracts.topics import TOPIC_FOR_TYPE, Topic, partition_key
from services.ingest.domain.freetext import free_text_paths, rewrite
from services.ingest.domain.pseudonymise import Pseudonymiser
from services.ingest.domain.redact import redact

# Each event type's free-text paths in `data`, found once from the published contract.
FREE_TEXT: dict[str, tuple[str, ...]] = {
    t: free_text_paths(cast(type[BaseModel], cls.model_fields["data"].annotation))
    for t, cls in EVENT_CLASSES.items()
}


def canonicalise(
    inbound: InboundEvent[Any], source: str, pseudonymiser: Pseudonymiser
) -> CloudEvent[Any]:
    """Pseudonymise customer identifiers, redact every free-text field (`subject` and the data's,
    see domain/freetext.py), and record the source system."""
    cls = EVENT_CLASSES[inbound.type]
    data: dict[str, Any] = inbound.data.model_dump()
    customer = getattr(inbound.data, "customer", None)
    if customer is not None:
        pseudonym = pseudonymiser.ref(customer)
        data["customer"] = pseudonym.model_dump() if pseudonym else None
    for path in FREE_TEXT[inbound.type]:
        rewrite(data, path, redact)
    return cls.model_validate(
        {
            "id": inbound.id,
            "source": source,
            "type": inbound.type,
            "time": inbound.time,
            "subject": redact(inbound.subject) if inbound.subject else inbound.subject,
            "dataschema": dataschema_for(inbound.type),
            "data": data,
        }
    )


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
