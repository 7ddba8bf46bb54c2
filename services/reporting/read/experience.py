"""Customer-experience and quality KPIs by scope and period (`/v1/kpis/experience`): CSAT,
NPS, CES (surveys), human QA score (calibration excluded), complaints per 1,000 contacts and
resolution time."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from runtime.http import errors
from runtime.identity import Caller
from services.reporting.domain.kpis import experience_row
from services.reporting.read.auth import allow
from services.reporting.read.schemas import ExperienceRow
from services.reporting.read.shared import JSON_OR_CSV, KpiQuery, answer, kpi_query, series
from services.reporting.read.store import kpis as store

router = APIRouter(prefix="/v1", tags=["kpis"], responses=errors(401, 403))


@router.get("/kpis/experience", response_model=list[ExperienceRow], responses=JSON_OR_CSV)
async def experience(
    request: Request,
    who: Annotated[Caller, Depends(allow("experience"))],
    query: Annotated[KpiQuery, Depends(kpi_query)],
    granularity: Literal["15min", "hour", "day"] = "day",
    scope: Literal["all", "queue", "team", "agent", "channel"] = "team",
) -> list[dict[str, Any]] | Response:
    """CSAT % (with n and a 95% Wilson interval), NPS, CES, human QA score, complaints per
    1,000 contacts and mean resolution hours; agents see their own, team leaders their team's."""
    filters = query.filters(who)
    rows = await store.experience(request.app.state.pool, scope, granularity, filters)
    return answer(series(rows, scope, experience_row), query.format)
