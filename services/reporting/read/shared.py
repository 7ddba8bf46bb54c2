"""What the read routers share: the caller's row scope, the KPI query parameters, the page of
records asked for, and the JSON-or-CSV answer."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import HTTPException
from fastapi.responses import Response

from runtime.http import CSV, Instant, Limit1000, Limit5000, Offset, Text
from runtime.identity import Caller, Denied, RowScope
from services.reporting.domain.export import to_csv
from services.reporting.read.schemas import Format
from services.reporting.read.store.kpis import Filters

# `format=csv` answers the same rows as CSV.
JSON_OR_CSV: dict[int | str, dict[str, Any]] = {200: {"content": CSV}}


def narrowed(who: Caller, team_id: str | None, agent_id: str | None) -> RowScope:
    """The requested filters narrowed to the caller's rows; 403 when the role refuses them."""
    try:
        return who.rows(team_id, agent_id)
    except Denied as exc:
        raise HTTPException(403, str(exc)) from exc


def answer(
    rows: list[dict[str, Any]], format: Format, filename: str | None = None
) -> list[dict[str, Any]] | Response:
    """The rows as JSON, or as CSV (an attachment when `filename` is given)."""
    if format == "json":
        return rows
    headers = {"content-disposition": f"attachment; filename={filename}"} if filename else None
    return Response(to_csv(rows), media_type="text/csv", headers=headers)


def series(
    rows: Sequence[Mapping[str, Any]],
    scope: str,
    kpis: Callable[[Mapping[str, Any]], dict[str, Any]],
) -> list[dict[str, Any]]:
    """Aggregated rows → one KPI row per period and scope id."""
    return [
        {"period": r["period"], "scope": scope, "scope_id": r["scope_id"], **kpis(r)} for r in rows
    ]


@dataclass(frozen=True, slots=True)
class KpiQuery:
    """The query parameters `/v1/kpis` and `/v1/kpis/experience` share."""

    start: datetime | None
    end: datetime | None
    queue: str | None
    team_id: str | None
    agent_id: str | None
    limit: int
    offset: int
    format: Format

    def filters(self, who: Caller) -> Filters:
        rows = narrowed(who, self.team_id, self.agent_id)
        return Filters(self.start, self.end, self.queue, rows, self.limit, self.offset)


def kpi_query(
    start: Instant | None = None,
    end: Instant | None = None,
    queue: Text | None = None,
    team_id: Text | None = None,
    agent_id: Text | None = None,
    limit: Limit5000 = 500,
    offset: Offset = 0,
    format: Format = "json",
) -> KpiQuery:
    """FastAPI dependency: the shared KPI query parameters."""
    return KpiQuery(start, end, queue, team_id, agent_id, limit, offset, format)


@dataclass(frozen=True, slots=True)
class Page:
    limit: int
    offset: int


def paged(limit: Limit1000 = 100, offset: Offset = 0) -> Page:
    """FastAPI dependency: a page of individual records (evaluations, actions, access log)."""
    return Page(limit, offset)
