"""Ingest HTTP API: one event or a batch, per family; 4xx bodies name the field and reason.

An `accepted` answer means Kafka acknowledged the canonical event (acks=all). The event id is
the idempotency key: resending an event is accepted again and downstream consumers apply it once.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from contracts.errors import FieldError, describe
from contracts.inbound import InboundEvent, inbound_adapter
from services.ingest.domain.canonicalise import canonicalise
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


class ClientError(Exception):
    def __init__(self, status: int, errors: list[FieldError]) -> None:
        self.status, self.errors = status, errors


def _error(status: int, errors: list[FieldError], **headers: str) -> JSONResponse:
    return JSONResponse({"errors": errors}, status_code=status, headers=headers or None)


async def _read_json(request: Request, settings: IngestSettings) -> Any:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > settings.max_body_bytes:
        raise ClientError(413, [{"field": "(body)", "reason": "body exceeds the size limit"}])
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > settings.max_body_bytes:
            raise ClientError(413, [{"field": "(body)", "reason": "body exceeds the size limit"}])
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ClientError(400, [{"field": "(body)", "reason": f"invalid JSON: {exc}"}]) from exc


async def _authenticate(request: Request) -> ApiKey:
    """401 without a valid key (`Authorization: Bearer <key>` or `X-API-Key`)."""
    header = request.headers.get("authorization", "")
    presented = header[7:] if header[:7].lower() == "bearer " else request.headers.get("x-api-key")
    if not presented:
        raise ClientError(401, [{"field": "(auth)", "reason": "an API key is required"}])
    parsed = parse(presented)
    keys = await request.app.state.keyring.get(parsed[0] if parsed else "")
    key = verify(presented, keys)
    if key is None:
        raise ClientError(401, [{"field": "(auth)", "reason": "unknown or revoked API key"}])
    return key


def _validate(item: Any, family: Family | None, key: ApiKey) -> InboundEvent[Any]:
    event: InboundEvent[Any] = inbound_adapter.validate_python(item)
    if family is not None and not event.type.startswith(FAMILY_PREFIX[family]):
        raise ClientError(422, [{"field": "type", "reason": f"not a {family.value} event type"}])
    if not key.allows(event.type):
        reason = f"this API key may not send {event.type}"
        raise ClientError(403, [{"field": "type", "reason": reason}])
    return event


async def _accept_one(request: Request, family: Family | None) -> JSONResponse:
    settings: IngestSettings = request.app.state.settings
    try:
        key = await _authenticate(request)
        event = _validate(await _read_json(request, settings), family, key)
    except ValidationError as err:
        return _error(422, describe(err))
    except ClientError as err:
        return _error(err.status, err.errors)
    # The source system is the authenticated one, whatever the event claims.
    canonical = canonicalise(event, key.source, request.app.state.pseudonymiser)
    record = to_record(canonical, request.headers.get("traceparent"))
    try:
        await publish_durably(request.app.state.broker, [record], settings.publish_timeout_s)
    except BrokerUnavailable:
        return _unavailable(settings)
    return JSONResponse({"id": event.id, "status": "accepted", "topic": record.topic}, 202)


def _unavailable(settings: IngestSettings) -> JSONResponse:
    return _error(
        503,
        [{"field": "(service)", "reason": "event store unavailable; nothing was accepted, retry"}],
        **{"Retry-After": str(settings.retry_after_s)},
    )


async def _accept_batch(request: Request, family: Family | None) -> JSONResponse:
    settings: IngestSettings = request.app.state.settings
    try:
        key = await _authenticate(request)
        items = await _read_json(request, settings)
    except ClientError as err:
        return _error(err.status, err.errors)
    if isinstance(items, dict) and isinstance(items.get("events"), list):
        items = items["events"]
    if not isinstance(items, list):
        return _error(422, [{"field": "(body)", "reason": "expected a JSON array of events"}])
    if not 1 <= len(items) <= settings.max_batch_events:
        reason = f"a batch holds 1 to {settings.max_batch_events} events"
        return _error(422, [{"field": "(body)", "reason": reason}])
    results: list[dict[str, Any]] = []
    records = []
    for index, item in enumerate(items):
        try:
            event = _validate(item, family, key)
            canonical = canonicalise(event, key.source, request.app.state.pseudonymiser)
        except ValidationError as err:
            results.append({"index": index, "status": "rejected", "errors": describe(err)})
            continue
        except ClientError as err:
            results.append({"index": index, "status": "rejected", "errors": err.errors})
            continue
        records.append(to_record(canonical, request.headers.get("traceparent")))
        results.append({"index": index, "id": event.id, "status": "accepted"})
    try:
        await publish_durably(request.app.state.broker, records, settings.publish_timeout_s)
    except BrokerUnavailable:
        return _unavailable(settings)
    accepted = len(records)
    body = {"accepted": accepted, "rejected": len(items) - accepted, "results": results}
    return JSONResponse(body, 200)


EVENT_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/InboundEvent"}}},
    }
}
BATCH_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "array",
                    "maxItems": 1000,
                    "items": {"$ref": "#/components/schemas/InboundEvent"},
                }
            }
        },
    }
}


@router.post("/v1/events", status_code=202, openapi_extra=EVENT_BODY, tags=["events"])
async def post_event(request: Request) -> JSONResponse:
    """Accept one event of any family (CloudEvents JSON, see the inbound schema)."""
    return await _accept_one(request, None)


@router.post("/v1/events/batch", openapi_extra=BATCH_BODY, tags=["events"])
async def post_batch(request: Request) -> JSONResponse:
    """Accept up to `MAX_BATCH_EVENTS` events; each item is accepted or rejected on its own."""
    return await _accept_batch(request, None)


@router.post("/v1/{family}", status_code=202, openapi_extra=EVENT_BODY, tags=["events"])
async def post_family_event(family: Family, request: Request) -> JSONResponse:
    return await _accept_one(request, family)


@router.post("/v1/{family}/batch", openapi_extra=BATCH_BODY, tags=["events"])
async def post_family_batch(family: Family, request: Request) -> JSONResponse:
    return await _accept_batch(request, family)


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
