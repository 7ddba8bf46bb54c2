"""Alerts for operations: the list, and a live Server-Sent Events stream for dashboards."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from runtime.http import Limit1000, errors
from services.actions.schemas import Out
from services.actions.store import Store

router = APIRouter(prefix="/v1/alerts", tags=["alerts"], responses=errors())


class Alert(Out):
    alert_id: str
    kind: str
    scope_type: str
    scope_id: str
    severity: str
    metric: str
    observed: float
    target: float
    interval_start: datetime
    message: str
    raised_at: datetime
    created_at: datetime
    last_seen_at: datetime
    occurrences: int
    resolved_at: datetime | None


@router.get("", response_model=list[Alert])
async def list_alerts(
    request: Request, open_only: bool = False, limit: Limit1000 = 100
) -> list[dict[str, Any]]:
    return await Store.on(request.app.state.pool).alerts.search(open_only, limit)


@router.get(
    "/stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}}},
)
async def stream(
    request: Request, poll_s: Annotated[float, Query(ge=0.2, le=30)] = 1.0
) -> StreamingResponse:
    """New alerts as they are raised (`event: alert`), with a keep-alive comment between."""
    alerts = Store.on(request.app.state.pool).alerts

    async def events() -> AsyncIterator[str]:
        since = datetime.now(UTC)
        yield ": connected\n\n"
        while not await request.is_disconnected():
            rows = await alerts.created_after(since)
            for alert_id, created_at, payload in rows:
                since = max(since, created_at)
                data = json.dumps(json.loads(payload))
                yield f"id: {alert_id}\nevent: alert\ndata: {data}\n\n"
            if not rows:
                yield ": keep-alive\n\n"
            await asyncio.sleep(poll_s)

    return StreamingResponse(
        events(), media_type="text/event-stream", headers={"cache-control": "no-cache"}
    )
