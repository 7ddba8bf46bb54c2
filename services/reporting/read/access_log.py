"""The access log (`/v1/access-log`): who read which individual record, for ops managers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from runtime.http import Limit1000 as Limit
from runtime.http import Offset, Text, errors
from services.reporting.domain.access import Principal
from services.reporting.read.auth import allow
from services.reporting.read.schemas import AccessLogEntry
from services.reporting.read.store import access

router = APIRouter(prefix="/v1", tags=["records"], responses=errors(401, 403))


@router.get("/access-log", response_model=list[AccessLogEntry])
async def access_log(
    request: Request,
    _: Annotated[Principal, Depends(allow("access_log"))],
    agent_id: Text | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[dict[str, Any]]:
    """Who read which individual record, newest first."""
    rows = await access.access_log(request.app.state.pool, agent_id, limit, offset)
    return [dict(r) for r in rows]
