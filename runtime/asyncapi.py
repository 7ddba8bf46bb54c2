"""A service's AsyncAPI 3 document: what it consumes (its FastStream subscribers) and what it
publishes (topics it declares; FastStream only sees publishers registered on the broker).

The declared publishers are documentation only: records still go out through
`runtime.kafka.publish_all` on the broker's durable producer (acks=all, idempotent)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI

from contracts.topics import DEADLETTER, Topic

# (topic, description) or (topic, description, payload schema: a contracts event model, a union
# of them, or `bytes`); the topic as a contracts Topic or its name.
Published = tuple[Topic | str, str] | tuple[Topic | str, str, Any]

DEAD_LETTERS: Published = (
    DEADLETTER,
    "Records this service refused or could not apply: the original bytes (cut at 64 KiB) and "
    "headers, plus dlq_reason, dlq_errors, dlq_service and dlq_source_topic|partition|offset.",
    bytes,
)


def asyncapi_document(
    broker: KafkaBroker, service: str, publishes: Sequence[Published]
) -> AsyncAPI:
    """Declare each published topic on `broker` (dead letters always: every service publishes
    them) and return the document, generated lazily from the broker's subscribers and
    publishers."""
    declared = [*publishes]
    if not any(_name(p[0]) == DEADLETTER.name for p in declared):
        declared.append(DEAD_LETTERS)
    for entry in declared:
        name = _name(entry[0])
        schema = entry[2] if len(entry) == 3 else None
        broker.publisher(name, title=f"{name}:Publish", description=entry[1], schema=schema)
    return AsyncAPI(broker, title=f"QualityLoop {service}", version="1")


def _name(topic: Topic | str) -> str:
    return topic.name if isinstance(topic, Topic) else topic
