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
from services.actions.schemas import Alert

router = APIRouter(prefix="/v1/alerts", tags=["alerts"], responses=errors())


@router.get("", response_model=list[Alert])
async def list_alerts(
    request: Request, open_only: bool = False, limit: Limit1000 = 100
) -> list[dict[str, Any]]:
    rows = await request.app.state.pool.fetch(
        """SELECT alert_id, kind, scope_type, scope_id, severity, metric, observed, target,
                  interval_start, message, raised_at, created_at, last_seen_at, occurrences,
                  resolved_at
           FROM actions.alerts WHERE (NOT $1 OR resolved_at IS NULL)
           ORDER BY created_at DESC LIMIT $2""",
        open_only,
        limit,
    )
    return [dict(r) for r in rows]


@router.get(
    "/stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}}},
)
async def stream(
    request: Request, poll_s: Annotated[float, Query(ge=0.2, le=30)] = 1.0
) -> StreamingResponse:
    """New alerts as they are raised (`event: alert`), with a keep-alive comment between."""
    pool = request.app.state.pool

    async def events() -> AsyncIterator[str]:
        since = datetime.now(UTC)
        yield ": connected\n\n"
        while not await request.is_disconnected():
            rows = await pool.fetch(
                "SELECT alert_id, created_at, payload FROM actions.alerts WHERE created_at > $1 "
                "ORDER BY created_at",
                since,
            )
            for r in rows:
                since = max(since, r["created_at"])
                data = json.dumps(json.loads(r["payload"]))
                yield f"id: {r['alert_id']}\nevent: alert\ndata: {data}\n\n"
            if not rows:
                yield ": keep-alive\n\n"
            await asyncio.sleep(poll_s)

    return StreamingResponse(
        events(), media_type="text/event-stream", headers={"cache-control": "no-cache"}
    )
