"""Operational KPIs by granularity and scope (`/v1/kpis`), and the targets they are read
against (`/v1/targets`)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from runtime.http import errors
from runtime.identity import Caller
from services.reporting.domain.kpis import kpi_row
from services.reporting.read.auth import allow
from services.reporting.read.schemas import KpiRow, Target
from services.reporting.read.shared import JSON_OR_CSV, KpiQuery, answer, kpi_query, series
from services.reporting.read.store import kpis as store
from services.reporting.read.store import records

router = APIRouter(prefix="/v1", tags=["kpis"], responses=errors(401, 403))


class Granularity(StrEnum):
    MIN15 = "15min"
    HOUR = "hour"
    DAY = "day"


@router.get("/kpis", response_model=list[KpiRow], responses=JSON_OR_CSV)
async def kpis(
    request: Request,
    who: Annotated[Caller, Depends(allow("kpis"))],
    query: Annotated[KpiQuery, Depends(kpi_query)],
    granularity: Granularity = Granularity.HOUR,
    scope: Literal["all", "queue", "team", "agent", "channel"] = "queue",
) -> list[dict[str, Any]] | Response:
    """KPIs by scope, period and granularity; proportions carry n and a 95% Wilson interval.
    Agents see their own figures, team leaders their team's."""
    filters = query.filters(who)
    rows = await store.operational(request.app.state.pool, scope, granularity, filters)
    return answer(series(rows, scope, kpi_row), query.format, "kpis.csv")


@router.get("/targets", response_model=list[Target], dependencies=[Depends(allow("targets"))])
async def targets(request: Request) -> list[dict[str, Any]]:
    """Targets as the standard states them (carried on scored events; latest wins)."""
    return [dict(r) for r in await records.targets(request.app.state.pool)]
