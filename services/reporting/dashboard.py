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
from services.reporting.auth import allow
from services.reporting.domain.access import Principal, Role
from services.reporting.domain.board import queue_tiles, team_tile
from services.reporting.domain.kpis import kpi_row
from services.reporting.domain.projection import COUNTERS
from services.reporting.schemas import Dashboard

router = APIRouter(tags=["dashboard"])
PAGE = Path(__file__).parent / "static" / "dashboard.html"
SUMS = ", ".join(f"sum({c}) AS {c}" for c in COUNTERS)
OPEN = "('raised', 'acknowledged', 'in_progress')"


@router.get("/dashboard", response_class=HTMLResponse, include_in_schema=False)
async def page() -> HTMLResponse:
    """The page holds no data; it asks for a token and reads `/v1/dashboard` with it."""
    return HTMLResponse(PAGE.read_text(encoding="utf-8"))


@router.get("/v1/dashboard", response_model=Dashboard, responses=errors(401, 403))
async def dashboard(
    request: Request,
    who: Annotated[Principal, Depends(allow("dashboard"))],
    day: Day | None = None,
) -> dict[str, Any]:
    """Day-to-date KPIs against targets per queue and team, the latest interval per queue,
    recent alerts, open and overdue actions, evaluated actions with before/after."""
    start = datetime.combine(day or datetime.now(UTC).date(), time(), UTC)
    team = who.subject if who.role is Role.TEAM_LEADER else None
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        window = (start, start + timedelta(days=1), team)
        return {
            "day": start.date().isoformat(),
            "generated_at": datetime.now(UTC),
            "scope": {"role": who.role.value, "team_id": team},
            "queues": await _queues(conn, *window),
            "teams": await _teams(conn, *window),
            "alerts": [
                dict(r)
                for r in await conn.fetch(
                    "SELECT alert_id, kind, severity, scope_type, scope_id, metric, observed,"
                    " target, interval_start, message, raised_at FROM reporting.alerts"
                    " WHERE raised_at >= $1::timestamptz - interval '1 day'"
                    " ORDER BY raised_at DESC LIMIT 50",
                    start,
                )
            ],
            **await _actions(conn, team),
        }


async def _queues(
    conn: asyncpg.Connection, start: datetime, end: datetime, team: str | None
) -> list[dict[str, Any]]:
    where = "interval_start >= $1 AND interval_start < $2 AND ($3::text IS NULL OR team_id = $3)"
    today = await conn.fetch(
        f"SELECT queue, {SUMS} FROM reporting.interval_counters WHERE {where} GROUP BY queue",
        start,
        end,
        team,
    )
    latest = await conn.fetch(
        f"""SELECT DISTINCT ON (queue) queue, interval_start, {SUMS}
            FROM reporting.interval_counters WHERE {where}
            GROUP BY queue, interval_start ORDER BY queue, interval_start DESC""",
        start,
        end,
        team,
    )
    targets = {
        (r["scope_id"], r["kpi"]): r["target"]
        for r in await conn.fetch(
            "SELECT scope_id, kpi, target FROM reporting.targets WHERE scope_type = 'queue'"
        )
    }
    return queue_tiles(
        {r["queue"]: kpi_row(r) for r in today},
        {r["queue"]: {**kpi_row(r), "interval_start": r["interval_start"]} for r in latest},
        targets,
    )


async def _teams(
    conn: asyncpg.Connection, start: datetime, end: datetime, team: str | None
) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        f"""WITH c AS (SELECT team_id, {SUMS} FROM reporting.interval_counters
                       WHERE interval_start >= $1 AND interval_start < $2 GROUP BY team_id),
                 q AS (SELECT team_id, avg(score) AS qa_score, count(*) AS evaluations
                       FROM reporting.evaluation_facts WHERE counts_toward_agent
                         AND evaluated_at >= $1 AND evaluated_at < $2 GROUP BY team_id),
                 s AS (SELECT team_id, 100.0 * avg(csat_top2::int) AS csat_pct,
                              count(csat_top2) AS csat_n
                       FROM reporting.survey_facts
                       WHERE responded_at >= $1 AND responded_at < $2 GROUP BY team_id)
            SELECT c.*, q.qa_score, q.evaluations, s.csat_pct, s.csat_n
            FROM c LEFT JOIN q USING (team_id) LEFT JOIN s USING (team_id)
            WHERE c.team_id <> '' AND ($3::text IS NULL OR c.team_id = $3)
            ORDER BY c.team_id""",
        start,
        end,
        team,
    )
    targets = {
        r["kpi"]: r["target"]
        for r in await conn.fetch(
            "SELECT kpi, target FROM reporting.targets WHERE scope_type = 'all'"
        )
    }
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
    rows = await conn.fetch(
        f"""SELECT action_id, kind, rule_id, scope_type, scope_id, team_id, metric, status,
                   summary, owner, due_at, raised_at, evaluation::text AS evaluation,
                   status IN {OPEN} AND due_at < now() AS overdue
            FROM reporting.actions
            WHERE (status IN {OPEN} OR status = 'evaluated')
              AND ($1::text IS NULL OR team_id = $1)
            ORDER BY raised_at DESC LIMIT 200""",
        team,
    )
    items = [{**r, "evaluation": json.loads(r["evaluation"] or "null")} for r in map(dict, rows)]
    open_ = [a for a in items if a["status"] != "evaluated"]
    return {
        "actions_open": open_,
        "actions_overdue": sum(a["overdue"] for a in open_),
        "actions_evaluated": [a for a in items if a["status"] == "evaluated"],
    }


def _round(value: float | None) -> float | None:
    return round(float(value), 2) if value is not None else None
