"""The operations dashboard: one page (`/dashboard`) refreshing from `GET /v1/dashboard`."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any

import asyncpg
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from runtime.http import Day, errors
from runtime.identity import Caller, RowScope, Scope
from services.reporting.domain.board import queue_tiles, team_tile
from services.reporting.domain.kpis import kpi_row
from services.reporting.read.auth import allow
from services.reporting.read.board_schemas import Dashboard
from services.reporting.read.store import board
from services.reporting.read.store.kpis import Filters

router = APIRouter(tags=["dashboard"])
PAGE = Path(__file__).parent / "static" / "dashboard.html"


@router.get("/dashboard", response_class=HTMLResponse, include_in_schema=False)
async def page() -> HTMLResponse:
    """The page holds no data; it asks for a token and reads `/v1/dashboard` with it."""
    return HTMLResponse(PAGE.read_text(encoding="utf-8"))


@router.get("/v1/dashboard", response_model=Dashboard, responses=errors(401, 403))
async def dashboard(
    request: Request,
    who: Annotated[Caller, Depends(allow("dashboard"))],
    day: Day | None = None,
) -> dict[str, Any]:
    """Day-to-date KPIs against targets per queue and team, the latest interval per queue,
    recent alerts, open and overdue actions, evaluated actions with before/after, and the
    AutoQA trust gate per automated criterion (unverified ones raise nothing)."""
    start = datetime.combine(day or datetime.now(UTC).date(), time(), UTC)
    team = who.principal.subject if who.scope is Scope.TEAM else None
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        window = Filters(start, start + timedelta(days=1), None, RowScope(team, None))
        return {
            "day": start.date().isoformat(),
            "generated_at": datetime.now(UTC),
            "scope": {"role": who.principal.role.value, "team_id": team},
            "queues": await _queues(conn, window),
            "teams": await _teams(conn, window),
            "alerts": [dict(r) for r in await board.alerts(conn, start, team)],
            **await _actions(conn, team),
            "autoqa_gates": [dict(r) for r in await board.gates(conn)],
        }


async def _queues(conn: asyncpg.Connection, window: Filters) -> list[dict[str, Any]]:
    today, latest = await board.queues(conn, window)
    targets = {(r["scope_id"], r["kpi"]): r["target"] for r in await board.targets(conn, "queue")}
    return queue_tiles(
        {r["queue"]: kpi_row(r) for r in today},
        {r["queue"]: {**kpi_row(r), "interval_start": r["interval_start"]} for r in latest},
        targets,
    )


async def _teams(conn: asyncpg.Connection, window: Filters) -> list[dict[str, Any]]:
    rows = await board.teams(conn, window)
    targets = {r["kpi"]: r["target"] for r in await board.targets(conn, "all")}
    return [
        team_tile(
            {
                "team_id": r["team_id"],
                **kpi_row(r),
                "qa_score": _round(r["qa_score"]),
                "evaluations": r["evaluations"] or 0,
                "csat_pct": _round(r["csat_pct"]),
                "csat_n": r["csat_n"] or 0,
            },
            targets,
        )
        for r in rows
    ]


async def _actions(conn: asyncpg.Connection, team: str | None) -> dict[str, Any]:
    rows = await board.actions(conn, team)
    items = [{**r, "evaluation": json.loads(r["evaluation"] or "null")} for r in map(dict, rows)]
    open_ = [a for a in items if a["status"] != "evaluated"]
    return {
        "actions_open": open_,
        "actions_overdue": sum(a["overdue"] for a in open_),
        "actions_evaluated": [a for a in items if a["status"] == "evaluated"],
    }


def _round(value: float | None) -> float | None:
    return round(float(value), 2) if value is not None else None
