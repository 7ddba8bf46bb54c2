"""CloudEvents 1.0 envelope, carried over Kafka in the binding's *structured* content mode.

A Kafka record's value is the whole event as JSON (`content-type: application/cloudevents+json`);
its key is the topic's partition key (see `contracts.topics`); `ce_id` and `ce_type` headers repeat
the two attributes consumers route and dedupe on, and `traceparent` carries W3C trace context.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import Field, field_validator, model_validator

from contracts.common import AwareDatetime, Frozen, Id

SPECVERSION = "1.0"
CONTENT_TYPE = "application/cloudevents+json"
SCHEMA_BASE = "https://qualityloop.io/schemas/"
# The contract's major version this build reads and writes. Additive changes keep it; a
# breaking change bumps it and adds an upcaster from the previous version to UPCASTERS.
SCHEMA_VERSION = 1
Upcaster = Callable[[dict[str, Any]], dict[str, Any]]
# version n → the function that turns a version-n event (as JSON-like dict) into version n+1.
UPCASTERS: dict[int, Upcaster] = {}

DataT = TypeVar("DataT", bound=Frozen)

Source = Annotated[str, Field(min_length=1, max_length=256, pattern=r"^[A-Za-z0-9/_.:\-]+$")]


class CloudEvent(Frozen, Generic[DataT]):
    """CloudEvents 1.0 attributes (`schemaversion` is an extension attribute)."""

    specversion: Literal["1.0"] = "1.0"
    id: Id
    source: Source
    type: str
    time: AwareDatetime
    subject: Annotated[str, Field(max_length=256)] | None = None
    dataschema: Annotated[str, Field(max_length=512)] | None = None
    datacontenttype: Literal["application/json"] = "application/json"
    schemaversion: Annotated[int, Field(ge=1)] = SCHEMA_VERSION
    data: DataT

    @model_validator(mode="before")
    @classmethod
    def _upcast(cls, raw: Any) -> Any:
        """The one place older versions are upcast and unknown (newer) ones refused."""
        if isinstance(raw, dict):
            return upcast(raw)
        return raw

    @field_validator("schemaversion")
    @classmethod
    def _known(cls, version: int) -> int:
        if version > SCHEMA_VERSION:
            raise ValueError(
                f"version {version} is newer than this build reads ({SCHEMA_VERSION}): "
                "upgrade the consumer, then replay the record from the dead-letter topic"
            )
        return version


def upcast(raw: dict[str, Any]) -> dict[str, Any]:
    version = raw.get("schemaversion", SCHEMA_VERSION)
    if not isinstance(version, int) or isinstance(version, bool):
        return raw  # the field's own validation names the type error (newer: `_known`)
    while 1 <= version < SCHEMA_VERSION:
        if version not in UPCASTERS:
            raise ValueError(f"schemaversion {version} has no upcaster to {version + 1}")
        raw = {**UPCASTERS[version](raw), "schemaversion": version + 1}
        version += 1
    return raw


def new_event_id() -> str:
    return str(uuid.uuid4())


def derived_event_id(namespace: str, *parts: str) -> str:
    """A deterministic id: re-processing the same input yields the same event id (dedupe key)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, namespace + "/" + "/".join(parts)))


def now() -> datetime:
    return datetime.now(UTC)


def kafka_headers(event: CloudEvent[Any], extra: dict[str, str] | None = None) -> dict[str, str]:
    headers = {"content-type": CONTENT_TYPE, "ce_id": event.id, "ce_type": event.type}
    if extra:
        headers.update(extra)
    return headers
