"""CloudEvents 1.0 envelopes as sources send them, over HTTP or Kafka, in any content mode. Pure.

Structured mode (the body / record value is the whole event as JSON), binary mode (attributes in
`ce-*` HTTP headers or `ce_*` Kafka headers, the body is the data) and HTTP batch mode (a JSON
array of structured events) all normalise to one `Envelope`: the attributes ingest knows plus
`data`, ready for `contracts.inbound`, and the extension attributes apart. Extensions are checked
(name and type) and then dropped: canonical events carry only the attributes our contracts define.
The one exception is `traceparent` (W3C trace context), which becomes the Kafka header.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import unquote

from contracts.errors import FieldError
from services.ingest.domain.jsonbody import Refused, check_text, parse, refuse

STRUCTURED = "application/cloudevents+json"
BATCH = "application/cloudevents-batch+json"
JSON = "application/json"
KNOWN = frozenset(
    {"specversion", "id", "source", "type", "time", "subject", "dataschema", "schemaversion"}
)
NAME = re.compile(r"[a-z0-9]+")  # CloudEvents attribute naming (≤20 chars is only a SHOULD)
TRACEPARENT = re.compile(r"[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}")
INT32 = range(-(2**31), 2**31)

Extension = str | int | bool


class Mode(StrEnum):
    STRUCTURED = "structured"
    BINARY = "binary"
    BATCH = "batch"


@dataclass(frozen=True, slots=True)
class Envelope:
    event: dict[str, Any]  # known attributes and data: validate with contracts.inbound
    extensions: dict[str, Extension] = field(default_factory=dict)  # checked, then dropped

    @property
    def traceparent(self) -> str | None:
        return trace_context(self.extensions.get("traceparent"))


def trace_context(value: object) -> str | None:
    """A W3C `traceparent` when well formed; malformed trace context is ignored, never a reason
    to refuse an event."""
    return value if isinstance(value, str) and TRACEPARENT.fullmatch(value) else None


def media_type(content_type: str | None) -> tuple[str, dict[str, str]]:
    """`Application/JSON; charset=UTF-8` → ("application/json", {"charset": "utf-8"})."""
    kind, *params = (content_type or "").split(";")
    pairs = (p.split("=", 1) for p in params if "=" in p)
    return kind.strip().lower(), {k.strip().lower(): v.strip(' "').lower() for k, v in pairs}


def json_data_type(value: object, where: str, status: int) -> str:
    """The data's content type must be JSON: data is validated against our JSON contracts."""
    kind, params = media_type(value if isinstance(value, str) else None)
    if kind == JSON and params.get("charset", "utf-8") in ("utf-8", "utf8"):
        return JSON
    refuse(status, where, f"data must be JSON ({JSON}, UTF-8); got {value!r}")


def mode(content_type: str | None, has_specversion: bool, where: str = "content-type") -> Mode:
    """The content mode, as the HTTP and Kafka bindings define it (Content-Type decides)."""
    kind, _ = media_type(content_type)
    if kind == BATCH:
        return Mode.BATCH
    if kind == STRUCTURED:
        return Mode.STRUCTURED
    if kind.startswith("application/cloudevents"):
        refuse(415, where, f"only the JSON event format is accepted ({STRUCTURED}, {BATCH})")
    # Plain JSON without ce- attributes is a structured event, as ingest has always taken it.
    return Mode.BINARY if has_specversion else Mode.STRUCTURED


def _extension(name: str, value: Any, errors: list[FieldError]) -> Extension | None:
    if not NAME.fullmatch(name):
        reason = "not a CloudEvents attribute name (lowercase letters a-z and digits only)"
        errors.append({"field": name or '""', "reason": reason})
    elif isinstance(value, bool | str) or (isinstance(value, int) and value in INT32):
        return value
    elif value is not None:  # null means absent in the JSON event format
        reason = "an extension attribute is a string, a boolean or a 32-bit integer"
        errors.append({"field": name, "reason": reason})
    return None


def structured(value: Any) -> Envelope:
    """One event in the JSON event format (a parsed HTTP body, batch item or record value)."""
    if not isinstance(value, dict):
        refuse(422, "(body)", "expected a JSON object: one CloudEvent")
    check_text(value)
    event: dict[str, Any] = {}
    extensions: dict[str, Extension] = {}
    errors: list[FieldError] = []
    for name, item in value.items():
        if name in KNOWN or name == "data":
            event[name] = item
        elif name == "datacontenttype":
            if item is not None:
                event[name] = json_data_type(item, name, 422)
        elif name == "data_base64":
            errors.append({"field": name, "reason": "binary data is not accepted; send JSON"})
        elif (ext := _extension(name, item, errors)) is not None:
            extensions[name] = ext
    if errors:
        raise Refused(422, errors)
    return Envelope(event, extensions)


def binary(
    attributes: Mapping[str, str], content_type: str | None, body: bytes | None, prefix: str
) -> Envelope:
    """Binary mode: every attribute a string header (`prefix` + name), the body is the data."""
    check_text({prefix + k: v for k, v in attributes.items()})
    event: dict[str, Any] = {}
    extensions: dict[str, Extension] = {}
    errors: list[FieldError] = []
    for name, value in attributes.items():
        if name == "schemaversion" and value.isascii() and value.isdigit():
            event[name] = int(value)  # header values are strings; this one is an integer
        elif name in KNOWN:
            event[name] = value
        elif name in ("data", "datacontenttype"):
            reason = "in binary mode the body is the data and Content-Type its type"
            errors.append({"field": name, "reason": reason})
        elif (ext := _extension(name, value, errors)) is not None:
            extensions[name] = ext
    if errors:
        raise Refused(422, [{"field": prefix + e["field"], "reason": e["reason"]} for e in errors])
    if content_type is not None:  # absent: JSON, as for structured events
        where = "content-type" if prefix == "ce-" else "header content-type"
        event["datacontenttype"] = json_data_type(content_type, where, 415)
    if body:
        event["data"] = parse(body, "data")
        check_text(event["data"], "data")
    return Envelope(event, extensions)


def http_attributes(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    """`ce-*` headers → attributes; values percent-decoded as the HTTP binding requires."""
    out: dict[str, str] = {}
    for name, value in headers:
        name = name.lower()
        if not name.startswith("ce-"):
            continue
        try:  # Starlette hands header bytes over as latin-1 text
            out[name[3:]] = unquote(value.encode("latin-1").decode(), errors="strict")
        except UnicodeError:
            refuse(400, name, "header value is not UTF-8 text (percent-encode it)")
    return out


def kafka_headers(headers: Iterable[tuple[str, bytes | None]]) -> dict[str, str]:
    """The headers the binding reads (`ce_*`, `content-type`, `traceparent`) as text; a null
    or binary value there refuses the record, naming the header. Other headers are the
    producer's business: whatever their value, they neither refuse nor change the event."""
    out: dict[str, str] = {}
    for name, value in headers:
        if not (name.startswith("ce_") or name in ("content-type", "traceparent")):
            continue
        if not isinstance(value, bytes):
            refuse(422, f"header {name}", "header value is null")
        try:
            out[name] = value.decode()
        except UnicodeDecodeError:
            refuse(422, f"header {name}", "header value is not UTF-8 text")
    return out


def from_kafka(headers: Iterable[tuple[str, bytes | None]], value: bytes | None) -> Envelope:
    """A raw-topic record in either Kafka content mode (the Kafka binding has no batch mode)."""
    text = kafka_headers(headers)
    content_type = text.get("content-type")
    found = mode(content_type, "ce_specversion" in text)
    if found is Mode.BATCH:
        refuse(415, "header content-type", "the Kafka binding has no batch mode: one event each")
    if found is Mode.STRUCTURED:
        envelope = structured(parse(value or b"", "(value)"))
    else:
        attributes = {k[3:]: v for k, v in text.items() if k.startswith("ce_")}
        envelope = binary(attributes, content_type, value, "ce_")
    if envelope.traceparent is None and "traceparent" in text:
        extensions: dict[str, Extension] = {**envelope.extensions}
        extensions["traceparent"] = text["traceparent"]  # the transport's own trace context
        return Envelope(envelope.event, extensions)
    return envelope
