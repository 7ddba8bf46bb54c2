"""The HTTP intake's steps, one request at a time: body size limit, API key, and one event →
its canonical record (family, permission, pseudonymisation, size). The routes are in api.py."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from contracts.errors import FieldError
from contracts.inbound import InboundEvent, inbound_adapter
from runtime.kafka import Outgoing
from services.ingest.domain import cloudevents as ce
from services.ingest.domain.canonicalise import canonicalise
from services.ingest.domain.jsonbody import check_size, refuse
from services.ingest.domain.keys import ApiKey, parse, verify
from services.ingest.publishing import to_record
from services.ingest.settings import IngestSettings


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


def error(status: int, errors: list[FieldError], **headers: str) -> JSONResponse:
    return JSONResponse({"errors": errors}, status_code=status, headers=headers or None)


def unavailable(settings: IngestSettings) -> JSONResponse:
    return error(
        503,
        [{"field": "(service)", "reason": "event store unavailable; nothing was accepted, retry"}],
        **{"Retry-After": str(settings.retry_after_s)},
    )


async def read_body(request: Request, settings: IngestSettings) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > settings.max_body_bytes:
        refuse(413, "(body)", "body exceeds the size limit")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > settings.max_body_bytes:
            refuse(413, "(body)", "body exceeds the size limit")
    return bytes(body)


async def authenticate(request: Request) -> ApiKey:
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


def prepare(
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
