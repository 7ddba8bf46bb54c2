"""Reporting read API (KPIs by granularity and scope; actions)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from services.reporting.domain.kpis import kpi_row
from services.reporting.domain.projection import COUNTERS

router = APIRouter(prefix="/v1", tags=["kpis"])


class Granularity(StrEnum):
    MIN15 = "15min"
    HOUR = "hour"
    DAY = "day"


SCOPES = {
    "all": "''",
    "queue": "queue",
    "team": "team_id",
    "agent": "agent_id",
    "channel": "channel",
}
BUCKET = {
    Granularity.MIN15: "interval_start",
    Granularity.HOUR: "date_trunc('hour', interval_start)",
    Granularity.DAY: "date_trunc('day', interval_start)",
}


@router.get("/kpis", response_model=None)
async def kpis(
    request: Request,
    granularity: Granularity = Granularity.HOUR,
    scope: Literal["all", "queue", "team", "agent", "channel"] = "queue",
    start: datetime | None = None,
    end: datetime | None = None,
    queue: str | None = None,
    team_id: str | None = None,
    agent_id: str | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
    offset: Annotated[int, Query(ge=0)] = 0,
    format: Literal["json", "csv"] = "json",
) -> list[dict[str, Any]] | Response:
    """KPIs by scope, period and granularity; proportions carry n and a 95% Wilson interval."""
    sums = ", ".join(f"sum({c}) AS {c}" for c in COUNTERS)
    rows = await request.app.state.pool.fetch(
        f"""SELECT {BUCKET[granularity]} AS period, {SCOPES[scope]} AS scope_id, {sums}
            FROM reporting.interval_counters
            WHERE ($1::timestamptz IS NULL OR interval_start >= $1)
              AND ($2::timestamptz IS NULL OR interval_start < $2)
              AND ($3::text IS NULL OR queue = $3) AND ($4::text IS NULL OR team_id = $4)
              AND ($5::text IS NULL OR agent_id = $5)
            GROUP BY 1, 2 ORDER BY 1 DESC, 2 LIMIT $6 OFFSET $7""",
        start,
        end,
        queue,
        team_id,
        agent_id,
        limit,
        offset,
    )
    out = [
        {"period": r["period"], "scope": scope, "scope_id": r["scope_id"], **kpi_row(r)}
        for r in rows
    ]
    if format == "csv":
        return Response(
            to_csv(out),
            media_type="text/csv",
            headers={"content-disposition": "attachment; filename=kpis.csv"},
        )
    return out


def to_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return buffer.getvalue()


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
