"""Ingest HTTP API: one event or a batch, per family; 4xx bodies name the field and reason.

CloudEvents HTTP binding: structured, binary and batch content modes (see domain/cloudevents.py).

An `accepted` answer means Kafka acknowledged the canonical event (acks=all). The event id is
the idempotency key: resending an event is accepted again and downstream consumers apply it once.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from contracts.errors import FieldError, describe
from contracts.inbound import InboundEvent, inbound_adapter
from runtime.kafka import Outgoing
from services.ingest.domain import cloudevents as ce
from services.ingest.domain.canonicalise import canonicalise
from services.ingest.domain.cloudevents import BATCH, JSON
from services.ingest.domain.cloudevents import STRUCTURED as EVENT
from services.ingest.domain.jsonbody import Refused, batch_items, check_size, refuse
from services.ingest.domain.jsonbody import parse as json_body
from services.ingest.domain.keys import ApiKey, parse, verify
from services.ingest.handlers import BrokerUnavailable, publish_durably, to_record
from services.ingest.settings import IngestSettings

router = APIRouter()


class Family(StrEnum):
    INTERACTIONS = "interactions"
    EVALUATIONS = "evaluations"
    SURVEYS = "surveys"
    COMPLAINTS = "complaints"


FAMILY_PREFIX = {
    Family.INTERACTIONS: "io.qualityloop.interaction.",
    Family.EVALUATIONS: "io.qualityloop.evaluation.",
    Family.SURVEYS: "io.qualityloop.survey.",
    Family.COMPLAINTS: "io.qualityloop.complaint.",
}


def _error(status: int, errors: list[FieldError], **headers: str) -> JSONResponse:
    return JSONResponse({"errors": errors}, status_code=status, headers=headers or None)


async def _read_body(request: Request, settings: IngestSettings) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > settings.max_body_bytes:
        refuse(413, "(body)", "body exceeds the size limit")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > settings.max_body_bytes:
            refuse(413, "(body)", "body exceeds the size limit")
    return bytes(body)


async def _authenticate(request: Request) -> ApiKey:
    """401 without a valid key (`Authorization: Bearer <key>` or `X-API-Key`)."""
    header = request.headers.get("authorization", "")
    presented = header[7:] if header[:7].lower() == "bearer " else request.headers.get("x-api-key")
    if not presented:
        refuse(401, "(auth)", "an API key is required")
    parsed = parse(presented)
    keys = await request.app.state.keyring.get(parsed[0] if parsed else "")
    key = verify(presented, keys)
    if key is None:
        refuse(401, "(auth)", "unknown or revoked API key")
    return key


def _prepare(
    envelope: ce.Envelope, family: Family | None, key: ApiKey, request: Request
) -> tuple[str, Outgoing]:
    """Validate one normalised event, check it may be sent here, and build its canonical record."""
    event: InboundEvent[Any] = inbound_adapter.validate_python(envelope.event)
    if family is not None and not event.type.startswith(FAMILY_PREFIX[family]):
        refuse(422, "type", f"not a {family.value} event type")
    if not key.allows(event.type):
        refuse(403, "type", f"this API key may not send {event.type}")
    # The source system is the authenticated one, whatever the event claims.
    canonical = canonicalise(event, key.source, request.app.state.pseudonymiser)
    trace = envelope.traceparent or ce.trace_context(request.headers.get("traceparent"))
    record = to_record(canonical, trace)
    check_size(record.value)
    return event.id, record


async def _accept(request: Request, family: Family | None, batch: bool) -> JSONResponse:
    settings: IngestSettings = request.app.state.settings
    content_type = request.headers.get("content-type")
    try:
        key = await _authenticate(request)
        mode = ce.mode(content_type, "ce-specversion" in request.headers)
        body = await _read_body(request, settings)
        if batch or mode is ce.Mode.BATCH:  # a batch posted to a single-event URL is still one
            if mode is ce.Mode.BINARY:
                refuse(415, "content-type", "binary content mode carries one event, not a batch")
            return await _accept_batch(
                request, family, key, batch_items(json_body(body), settings.max_batch_events)
            )
        if mode is ce.Mode.BINARY:
            attributes = ce.http_attributes(request.headers.items())
            envelope = ce.binary(attributes, content_type, body, "ce-")
        else:
            envelope = ce.structured(json_body(body))
        event_id, record = _prepare(envelope, family, key, request)
    except ValidationError as err:
        return _error(422, describe(err))
    except Refused as err:
        return _error(err.status, err.errors)
    try:
        await publish_durably(request.app.state.broker, [record], settings.publish_timeout_s)
    except BrokerUnavailable:
        return _unavailable(settings)
    return JSONResponse({"id": event_id, "status": "accepted", "topic": record.topic}, 202)


def _unavailable(settings: IngestSettings) -> JSONResponse:
    return _error(
        503,
        [{"field": "(service)", "reason": "event store unavailable; nothing was accepted, retry"}],
        **{"Retry-After": str(settings.retry_after_s)},
    )


async def _accept_batch(
    request: Request, family: Family | None, key: ApiKey, items: list[Any]
) -> JSONResponse:
    settings: IngestSettings = request.app.state.settings
    results: list[dict[str, Any]] = []
    records: list[Outgoing] = []
    first: dict[str, int] = {}  # event id → index of the item that carries it
    for index, item in enumerate(items):
        try:
            event_id, record = _prepare(ce.structured(item), family, key, request)
        except ValidationError as err:
            results.append({"index": index, "status": "rejected", "errors": describe(err)})
            continue
        except Refused as err:
            results.append({"index": index, "status": "rejected", "errors": err.errors})
            continue
        if event_id in first:  # published once: a store must never see one id twice in a batch
            reason = f"the same id as item {first[event_id]} of this batch; published once"
            errors = [{"field": "id", "reason": reason}]
            results.append(
                {"index": index, "id": event_id, "status": "duplicate", "errors": errors}
            )
            continue
        first[event_id] = index
        records.append(record)
        results.append({"index": index, "id": event_id, "status": "accepted"})
    try:
        await publish_durably(request.app.state.broker, records, settings.publish_timeout_s)
    except BrokerUnavailable:
        return _unavailable(settings)
    duplicates = sum(r["status"] == "duplicate" for r in results)
    body = {
        "accepted": len(records),
        "rejected": len(items) - len(records) - duplicates,
        "duplicates": duplicates,
        "results": results,
    }
    return JSONResponse(body, 200)


_EVENT = {"$ref": "#/components/schemas/InboundEvent"}
_BATCH = {"type": "array", "maxItems": 1000, "items": _EVENT}
# Binary content mode (attributes in ce-* headers, the body is the data) is accepted as well;
# OpenAPI cannot tie a body to headers, so the operations' descriptions say so.
EVENT_BODY = {
    "requestBody": {"required": True, "content": {t: {"schema": _EVENT} for t in (JSON, EVENT)}}
}
BATCH_BODY = {
    "requestBody": {"required": True, "content": {t: {"schema": _BATCH} for t in (JSON, BATCH)}}
}


@router.post("/v1/events", status_code=202, openapi_extra=EVENT_BODY, tags=["events"])
async def post_event(request: Request) -> JSONResponse:
    """Accept one event of any family: CloudEvents in structured mode (JSON, see the inbound
    schema) or binary mode (`ce-*` headers, the body is the data)."""
    return await _accept(request, None, batch=False)


@router.post("/v1/events/batch", openapi_extra=BATCH_BODY, tags=["events"])
async def post_batch(request: Request) -> JSONResponse:
    """Accept up to `MAX_BATCH_EVENTS` events; each item is accepted or rejected on its own."""
    return await _accept(request, None, batch=True)


@router.post("/v1/{family}", status_code=202, openapi_extra=EVENT_BODY, tags=["events"])
async def post_family_event(family: Family, request: Request) -> JSONResponse:
    return await _accept(request, family, batch=False)


@router.post("/v1/{family}/batch", openapi_extra=BATCH_BODY, tags=["events"])
async def post_family_batch(family: Family, request: Request) -> JSONResponse:
    return await _accept(request, family, batch=True)


def document_bodies(app: FastAPI) -> None:
    """Publish the inbound event schema in OpenAPI (bodies are parsed by hand, per item)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            inbound = inbound_adapter.json_schema(ref_template="#/components/schemas/{model}")
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.update(inbound.pop("$defs", {}))
            components["InboundEvent"] = inbound
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
