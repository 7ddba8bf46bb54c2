"""Alerts for operations: the list, and a live Server-Sent Events stream for dashboards.

A team leader sees their team's alerts and the operational ones that name no person; a
caller holds at most `ALERT_STREAMS_PER_CALLER` streams at once (429 beyond), so nobody can
hold the service's connections open."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import StreamingResponse

from runtime.http import Limit1000, errors
from runtime.identity import Caller, Scope, guard
from runtime.limits import TooMany
from services.actions.domain.access import POLICY
from services.actions.schemas import Out
from services.actions.store import Store

router = APIRouter(prefix="/v1/alerts", tags=["alerts"], responses=errors(401, 403))
require = guard(POLICY)


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
    team_id: str | None


@router.get("", response_model=list[Alert])
async def list_alerts(
    request: Request,
    caller: Annotated[Caller, Depends(require("alerts.list"))],
    open_only: bool = False,
    limit: Limit1000 = 100,
) -> list[dict[str, Any]]:
    return await Store.on(request.app.state.pool).alerts.search(open_only, limit, _team(caller))


def _team(caller: Caller) -> str | None:
    return caller.principal.subject if caller.scope is Scope.TEAM else None


@router.get(
    "/stream",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}},
        **errors(429),
    },
)
async def stream(
    request: Request,
    caller: Annotated[Caller, Depends(require("alerts.stream"))],
    poll_s: Annotated[float, Query(ge=0.2, le=30)] = 1.0,
) -> StreamingResponse:
    """New alerts as they are raised (`event: alert`), with a keep-alive comment between."""
    alerts = Store.on(request.app.state.pool).alerts
    slots = request.app.state.alert_streams
    holder, team = caller.principal.token_id, _team(caller)
    try:
        slots.acquire(holder)
    except TooMany as exc:
        raise HTTPException(429, str(exc), {"Retry-After": "30"}) from None

    async def events() -> AsyncIterator[str]:
        try:
            async for chunk in _events():
                yield chunk
        finally:  # the client left or the server stops: the slot is free again
            slots.release(holder)

    async def _events() -> AsyncIterator[str]:
        since = datetime.now(UTC)
        yield ": connected\n\n"
        while not await request.is_disconnected():
            rows = await alerts.created_after(since, team)
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
