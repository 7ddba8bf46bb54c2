"""The CloudEvents envelope normaliser: every content mode gives the same event; extensions are
checked and set apart; anything malformed is a field error, never an unexpected exception."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from contracts.errors import describe
from contracts.inbound import inbound_adapter
from services.ingest.domain import cloudevents as ce
from services.ingest.domain.jsonbody import Refused
from tests import factories as f

RESERVED = ce.KNOWN | {"data", "datacontenttype"}
names = st.from_regex(r"[a-z0-9]{1,20}", fullmatch=True).filter(lambda n: n not in RESERVED)
bad_names = st.from_regex(r"[a-z0-9]{0,5}[A-Z_\-. ][A-Za-z0-9_\-]{0,5}", fullmatch=True)
safe_text = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"))
ext_values = st.one_of(safe_text, st.booleans(), st.integers(-(2**31), 2**31 - 1))
# JSON-like values with the odd hostile string: what a careless or hostile client may send.
hostile_text = st.one_of(safe_text, st.just("a\x00b"), st.just("\ud800"))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | hostile_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text, inner, max_size=4),
    max_leaves=20,
)


def binary_form(event: dict[str, Any]) -> tuple[dict[str, str], bytes]:
    """The binary content mode of a structured event: string attributes, data as the body."""
    attributes = {k: str(v) for k, v in event.items() if k != "data"}
    return attributes, json.dumps(event["data"]).encode()


def outcome(make: Any) -> list[dict[str, str]]:
    """Normalise and validate; [] when accepted, else the field errors (anything else raises)."""
    try:
        inbound_adapter.validate_python(make().event)
    except Refused as err:
        assert err.status in (400, 413, 415, 422)
        return [{"field": e["field"], "reason": e["reason"]} for e in err.errors]
    except ValidationError as err:
        return [{"field": e["field"], "reason": e["reason"]} for e in describe(err)]
    return []


@settings(max_examples=150)
@given(st.dictionaries(names, ext_values, max_size=6))
def test_extensions_are_set_apart_and_the_event_validates(extensions: dict[str, Any]) -> None:
    event = f.interaction() | extensions | {"dataschema": "https://acd.example/schema/v3"}
    envelope = ce.structured(event)
    assert envelope.extensions == extensions
    inbound = inbound_adapter.validate_python(envelope.event)
    assert inbound.id == event["id"] and inbound.dataschema == event["dataschema"]


@given(bad_names, ext_values)
def test_an_invalid_attribute_name_is_named(name: str, value: Any) -> None:
    errors = outcome(lambda: ce.structured(f.survey() | {name: value}))
    assert {"field": name, "reason": errors[0]["reason"]} in errors


@pytest.mark.parametrize("value", [1.5, {"a": 1}, [1], 2**31])
def test_an_extension_holds_a_string_bool_or_int32(value: Any) -> None:
    errors = outcome(lambda: ce.structured(f.survey() | {"myext": value}))
    assert errors == [{"field": "myext", "reason": errors[0]["reason"]}]
    assert "32-bit integer" in errors[0]["reason"]


def test_a_typo_in_data_is_still_refused() -> None:
    event = f.interaction()
    event["data"]["queeu"] = event["data"].pop("queue")
    fields = {e["field"] for e in outcome(lambda: ce.structured(event))}
    assert {"data.queue", "data.queeu"} <= fields


@settings(max_examples=150)
@given(st.dictionaries(names, safe_text, max_size=6))
def test_binary_mode_gives_the_structured_event(extensions: dict[str, str]) -> None:
    event = f.complaint(description="kept waiting")
    attributes, body = binary_form(event)
    envelope = ce.binary(attributes | extensions, "application/json; charset=utf-8", body, "ce-")
    assert envelope.extensions == extensions
    assert envelope.event["datacontenttype"] == "application/json"
    via_binary = inbound_adapter.validate_python(envelope.event)
    via_structured = inbound_adapter.validate_python(ce.structured(event).event)
    assert via_binary.model_dump(exclude={"datacontenttype"}) == via_structured.model_dump(
        exclude={"datacontenttype"}
    )


@pytest.mark.parametrize(
    ("content_type", "status", "field"),
    [("text/plain", 415, "content-type"), ("application/json; charset=latin-1", 415, None)],
)
def test_binary_data_must_be_json(content_type: str, status: int, field: str | None) -> None:
    attributes, body = binary_form(f.survey())
    with pytest.raises(Refused) as info:
        ce.binary(attributes, content_type, body, "ce-")
    assert info.value.status == status
    assert info.value.errors[0]["field"] == (field or "content-type")


@pytest.mark.parametrize("value", ["text/xml", "application/octet-stream", 7])
def test_structured_datacontenttype_must_be_json(value: Any) -> None:
    errors = outcome(lambda: ce.structured(f.survey() | {"datacontenttype": value}))
    assert errors[0]["field"] == "datacontenttype" and "JSON" in errors[0]["reason"]


def test_data_base64_and_ce_data_headers_are_refused_clearly() -> None:
    errors = outcome(lambda: ce.structured(f.survey() | {"data_base64": "AAAA"}))
    assert errors[0]["field"] == "data_base64"
    attributes, body = binary_form(f.survey())
    errors = outcome(lambda: ce.binary(attributes | {"datacontenttype": "x"}, None, body, "ce_"))
    assert errors[0]["field"] == "ce_datacontenttype"


@pytest.mark.parametrize(
    ("version", "ok"), [("1", True), ("99", False), ("one", False), ("\u0661", False)]
)
def test_binary_schemaversion(version: str, ok: bool) -> None:
    attributes, body = binary_form(f.survey())
    errors = outcome(lambda: ce.binary(attributes | {"schemaversion": version}, None, body, "ce-"))
    assert (errors == []) is ok
    assert ok or errors[0]["field"] == "schemaversion"


def test_missing_attributes_are_named() -> None:
    attributes, body = binary_form(f.survey())
    del attributes["id"], attributes["time"]
    fields = {e["field"] for e in outcome(lambda: ce.binary(attributes, None, body, "ce-"))}
    assert fields == {"id", "time"}
    assert outcome(lambda: ce.binary(attributes, None, b"", "ce-"))  # no data either


@settings(max_examples=300)
@given(json_values)
def test_any_structured_body_is_accepted_or_field_errors(value: Any) -> None:
    for candidate in (value, f.survey() | {"data": value}, f.survey() | {"x": value}):
        for error in outcome(lambda c=candidate: ce.structured(c)):
            assert error["field"] and error["reason"]


@settings(max_examples=300)
@given(st.dictionaries(st.text(max_size=12), hostile_text, max_size=8), st.binary())
def test_any_binary_header_set_is_accepted_or_field_errors(
    attributes: dict[str, str], body: bytes
) -> None:
    for candidate in (attributes, binary_form(f.survey())[0] | attributes):
        for error in outcome(lambda c=candidate: ce.binary(c, None, body, "ce-")):
            assert error["field"] and error["reason"]


@pytest.mark.parametrize(
    ("content_type", "has_specversion", "expected"),
    [
        ("application/cloudevents+json; charset=utf-8", True, ce.Mode.STRUCTURED),
        ("Application/CloudEvents-Batch+JSON", False, ce.Mode.BATCH),
        ("application/json", True, ce.Mode.BINARY),
        ("application/json", False, ce.Mode.STRUCTURED),
        (None, False, ce.Mode.STRUCTURED),
    ],
)
def test_content_mode(content_type: str | None, has_specversion: bool, expected: ce.Mode) -> None:
    assert ce.mode(content_type, has_specversion) is expected


def test_other_event_formats_are_415() -> None:
    with pytest.raises(Refused) as info:
        ce.mode("application/cloudevents+avro", True)
    assert info.value.status == 415


def test_traceparent_extension_only_when_well_formed() -> None:
    trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    assert ce.structured(f.survey() | {"traceparent": trace}).traceparent == trace
    assert ce.structured(f.survey() | {"traceparent": "garbage"}).traceparent is None


def test_http_headers_are_percent_decoded() -> None:
    headers = [("CE-Subject", "caf%C3%A9%20order"), ("content-type", "application/json")]
    assert ce.http_attributes(headers) == {"subject": "café order"}
    with pytest.raises(Refused) as info:
        ce.http_attributes([("ce-subject", "%ff")])
    assert info.value.errors[0]["field"] == "ce-subject"
