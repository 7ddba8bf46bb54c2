"""Reporting read API (KPIs by granularity and scope; actions)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

router = APIRouter(prefix="/v1", tags=["kpis"])


class Granularity(StrEnum):
    MIN15 = "15min"
    HOUR = "hour"
    DAY = "day"


VIEW = {
    Granularity.MIN15: "kpi_15min",
    Granularity.HOUR: "kpi_hourly",
    Granularity.DAY: "kpi_daily",
}


@router.get("/kpis")
async def kpis(
    request: Request,
    granularity: Granularity = Granularity.HOUR,
    start: datetime | None = None,
    end: datetime | None = None,
    queue: str | None = None,
    team_id: str | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> list[dict[str, Any]]:
    rows = await request.app.state.pool.fetch(
        f"""SELECT * FROM reporting.{VIEW[granularity]}
            WHERE ($1::timestamptz IS NULL OR interval_start >= $1)
              AND ($2::timestamptz IS NULL OR interval_start < $2)
              AND ($3::text IS NULL OR queue = $3) AND ($4::text IS NULL OR team_id = $4)
            ORDER BY interval_start DESC, channel, queue, team_id, agent_id LIMIT $5""",
        start,
        end,
        queue,
        team_id,
        limit,
    )
    return [dict(r) for r in rows]


@router.get("/actions")
async def actions(
    request: Request,
    status: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    rows = await request.app.state.pool.fetch(
        """SELECT action_id, kind, rule_id, scope_type, scope_id, team_id, metric, observed,
                  threshold, status, summary, owner, due_at, raised_at, updated_at
           FROM reporting.actions WHERE ($1::text IS NULL OR status = $1)
           ORDER BY raised_at DESC LIMIT $2""",
        status,
        limit,
    )
    return [dict(r) for r in rows]
