"""Reporting read API (KPIs by granularity and scope; actions)."""

from __future__ import annotations

import csv
import io
from enum import StrEnum
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from runtime.http import CSV, Instant, Limit5000, Offset, Text, errors
from services.reporting.auth import allow
from services.reporting.domain.access import Denied, Principal, RowScope, scope_rows
from services.reporting.domain.kpis import kpi_row
from services.reporting.domain.projection import COUNTERS
from services.reporting.schemas import Format, KpiRow, Target

router = APIRouter(prefix="/v1", tags=["kpis"], responses=errors(401, 403))
# `format=csv` answers the same rows as CSV.
JSON_OR_CSV: dict[int | str, dict[str, Any]] = {200: {"content": CSV}}


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


@router.get("/kpis", response_model=list[KpiRow], responses=JSON_OR_CSV)
async def kpis(
    request: Request,
    who: Annotated[Principal, Depends(allow("kpis"))],
    granularity: Granularity = Granularity.HOUR,
    scope: Literal["all", "queue", "team", "agent", "channel"] = "queue",
    start: Instant | None = None,
    end: Instant | None = None,
    queue: Text | None = None,
    team_id: Text | None = None,
    agent_id: Text | None = None,
    limit: Limit5000 = 500,
    offset: Offset = 0,
    format: Format = "json",
) -> list[dict[str, Any]] | Response:
    """KPIs by scope, period and granularity; proportions carry n and a 95% Wilson interval.
    Agents see their own figures, team leaders their team's."""
    rows_of = narrowed(who, team_id, agent_id)
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
        rows_of.team_id,
        rows_of.agent_id,
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


def narrowed(who: Principal, team_id: str | None, agent_id: str | None) -> RowScope:
    try:
        return scope_rows(who, team_id, agent_id)
    except Denied as exc:
        raise HTTPException(403, str(exc)) from exc


@router.get("/targets", response_model=list[Target])
async def targets(
    request: Request, _: Annotated[Principal, Depends(allow("targets"))]
) -> list[dict[str, Any]]:
    """Targets as the standard states them (carried on scored events; latest wins)."""
    rows = await request.app.state.pool.fetch(
        "SELECT scope_type, scope_id, kpi, target, as_of FROM reporting.targets ORDER BY 1, 2, 3"
    )
    return [dict(r) for r in rows]
