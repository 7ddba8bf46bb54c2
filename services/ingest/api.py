"""Ingest HTTP API: one event or a batch, per family; 4xx bodies name the field and reason.

CloudEvents HTTP binding: structured, binary and batch content modes (see domain/cloudevents.py).

An `accepted` answer means Kafka acknowledged the canonical event (acks=all). The event id is
the idempotency key: resending an event is accepted again and downstream consumers apply it once.
An id belongs to the source that reported it first: another source's key sending it is refused
(409, or `rejected` in a batch), so one source can never replace another's fact.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from contracts.errors import describe
from runtime.consumer import TRANSIENT
from runtime.kafka import Outgoing
from services.ingest.domain import cloudevents as ce
from services.ingest.domain.jsonbody import Refused, batch_items, refuse
from services.ingest.domain.jsonbody import parse as json_body
from services.ingest.domain.keys import ApiKey
from services.ingest.domain.ownership import conflict
from services.ingest.intake import Family, authenticate, error, prepare, read_body, unavailable
from services.ingest.openapi import BATCH_BODY, EVENT_BODY
from services.ingest.publishing import BrokerUnavailable, publish_durably
from services.ingest.settings import IngestSettings
from services.ingest.store import claim_ids

router = APIRouter()


async def _accept(request: Request, family: Family | None, batch: bool) -> JSONResponse:
    settings: IngestSettings = request.app.state.settings
    content_type = request.headers.get("content-type")
    try:
        key = await authenticate(request)
        mode = ce.mode(content_type, "ce-specversion" in request.headers)
        body = await read_body(request, settings)
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
        event_id, record = prepare(envelope, family, key, request)
    except ValidationError as err:
        return error(422, describe(err))
    except Refused as err:
        return error(err.status, err.errors)
    try:
        # Claimed only once otherwise valid, and before publishing: a conflicting fact is never
        # published. A claim whose publish then fails stays this source's: its retry succeeds.
        if await claim_ids(request.app.state.pool, {event_id: key.source}):
            return error(409, [conflict(event_id)])
        await publish_durably(request.app.state.broker, [record], settings.publish_timeout_s)
    except (BrokerUnavailable, *TRANSIENT):
        return unavailable(settings)
    return JSONResponse({"id": event_id, "status": "accepted", "topic": record.topic}, 202)


async def _accept_batch(
    request: Request, family: Family | None, key: ApiKey, items: list[Any]
) -> JSONResponse:
    settings: IngestSettings = request.app.state.settings
    results: list[dict[str, Any]] = []
    records: dict[str, Outgoing] = {}  # event id → its record, once per batch
    first: dict[str, int] = {}  # event id → index of the item that carries it
    for index, item in enumerate(items):
        try:
            event_id, record = prepare(ce.structured(item), family, key, request)
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
        records[event_id] = record
        results.append({"index": index, "id": event_id, "status": "accepted"})
    try:  # one round trip claims the whole batch's ids
        foreign = await claim_ids(request.app.state.pool, dict.fromkeys(records, key.source))
        for event_id in foreign:
            del records[event_id]
        for result in results:  # the item and any repeat of its id in this batch
            if result.get("id") in foreign:
                result |= {"status": "rejected", "errors": [conflict(result["id"])]}
        await publish_durably(
            request.app.state.broker, list(records.values()), settings.publish_timeout_s
        )
    except (BrokerUnavailable, *TRANSIENT):
        return unavailable(settings)
    duplicates = sum(r["status"] == "duplicate" for r in results)
    body = {
        "accepted": len(records),
        "rejected": len(items) - len(records) - duplicates,
        "duplicates": duplicates,
        "results": results,
    }
    return JSONResponse(body, 200)


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
