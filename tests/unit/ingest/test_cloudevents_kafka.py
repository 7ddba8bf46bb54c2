"""Raw-topic records through `process_raw` (no broker): both CloudEvents Kafka content modes made
by the official SDK, and hostile records dead-lettered alone with the field and the reason."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aiokafka import ConsumerRecord
from cloudevents.conversion import to_dict
from cloudevents.http import CloudEvent
from cloudevents.kafka import KafkaMessage, to_binary, to_structured

from contracts import topics
from contracts.limits import MAX_EVENT_BYTES
from runtime.kafka import Outgoing
from services.ingest.domain.jsonbody import Refused, parse
from services.ingest.domain.pseudonymise import Pseudonymiser
from services.ingest.handlers import process_raw
from tests import factories as f

P = Pseudonymiser("k1", b"secret")
TRACE = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


def record(value: bytes | None, headers: list[tuple[str, Any]]) -> ConsumerRecord[Any, Any]:
    return ConsumerRecord(
        topics.RAW_INTERACTIONS.name, 0, 7, 0, 0, b"k", value, None, 1, len(value or b""), headers
    )


def sdk_event(**extensions: Any) -> CloudEvent:
    raw = f.interaction(customer={"phone": "07700 900123"})
    attributes = {k: v for k, v in raw.items() if k != "data"} | extensions
    return CloudEvent(attributes | {"datacontenttype": "application/json"}, raw["data"])


def from_message(message: KafkaMessage) -> ConsumerRecord[Any, Any]:
    value = message.value.encode() if isinstance(message.value, str) else message.value
    return record(value, list(message.headers.items()))


def dlq_errors(out: Outgoing) -> list[dict[str, str]]:
    assert out.topic == topics.DEADLETTER.name, out
    return list(json.loads(out.headers["dlq_errors"]))


@pytest.mark.parametrize("convert", [to_binary, to_structured])
def test_sdk_kafka_modes_become_the_canonical_event(convert: Any) -> None:
    event = sdk_event(myext="kept-apart", traceparent=TRACE)
    out = process_raw(from_message(convert(event)), P)
    assert out.topic == topics.INTERACTIONS.name, out.headers.get("dlq_reason")
    canonical = json.loads(out.value)
    assert canonical["id"] == event["id"] and canonical["source"] == event["source"]
    assert canonical["data"]["customer"]["key_id"] == "k1" and b"900123" not in out.value
    assert "myext" not in canonical and out.headers["traceparent"] == TRACE
    assert canonical["data"]["queue"] == to_dict(event)["data"]["queue"]


@pytest.mark.parametrize(
    ("headers", "field"),
    [
        ([("ce_specversion", None)], "header ce_specversion"),
        ([("traceparent", None)], "header traceparent"),
        ([("content-type", b"\xff\xfe")], "header content-type"),
        ([("ce_specversion", b"1.0"), ("content-type", b"text/plain")], "header content-type"),
        ([("content-type", b"application/cloudevents-batch+json")], "header content-type"),
        ([("ce_specversion", b"1.0"), ("ce_id", b"a\x00b")], "ce_id"),
    ],
)
def test_hostile_headers_are_dead_lettered_naming_the_header(
    headers: list[tuple[str, Any]], field: str
) -> None:
    value = json.dumps(f.interaction()).encode()
    out = process_raw(record(value, headers), P)
    assert dlq_errors(out)[0]["field"] == field
    assert field.removeprefix("header ") in out.headers["dlq_reason"]


def test_other_headers_with_null_or_binary_values_do_not_refuse_the_event() -> None:
    """Issue 11, reproducer 5: a null header among good records lost the batch."""
    value = json.dumps(f.interaction()).encode()
    out = process_raw(record(value, [("m", None), ("x-bin", b"\xff\x00")]), P)
    assert out.topic == topics.INTERACTIONS.name, out.headers.get("dlq_reason")


@pytest.mark.parametrize(
    ("value", "field", "words"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "(value)", "nested"),
        (b'{"a": NaN}', "(value)", "NaN"),
        (json.dumps(f.complaint(description="a\x00b")).encode(), "data.description", "NUL"),
        (json.dumps(f.complaint(description="\ud800")).encode(), "data.description", "surrogate"),
        (None, "(value)", "invalid JSON"),
    ],
)
def test_hostile_values_are_dead_lettered_with_field_and_reason(
    value: bytes | None, field: str, words: str
) -> None:
    errors = dlq_errors(process_raw(record(value, []), P))
    assert errors[0]["field"] == field and words in errors[0]["reason"]


def test_an_oversized_event_is_dead_lettered() -> None:
    # Within every field's limit, yet over MAX_EVENT_BYTES as JSON: U+0001 is escaped as \u0001.
    event = f.interaction(transcript="\x01" * 100_000)
    errors = dlq_errors(process_raw(record(json.dumps(event).encode(), []), P))
    assert errors == [{"field": "(event)", "reason": errors[0]["reason"]}]
    assert f"{MAX_EVENT_BYTES:,} bytes" in errors[0]["reason"]


def test_depth_is_refused_before_python_recursion() -> None:
    with pytest.raises(Refused) as info:
        parse(b'{"a":' * 5000 + b"1" + b"}" * 5000)
    assert info.value.status == 400
