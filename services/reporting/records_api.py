"""Individual records: QA evaluations, actions, alerts and the access log.

Every evaluation (a monitoring record) and every coaching action (about one agent) served is
written to the access log first, with who read it and through which path."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from runtime.http import Instant, Offset, Text, errors
from runtime.http import Limit1000 as Limit
from services.reporting.api import JSON_OR_CSV, narrowed, to_csv
from services.reporting.auth import allow, log_access
from services.reporting.domain.access import Principal, may_read_record
from services.reporting.schemas import AccessLogEntry, ActionRecord, Alert, Evaluation, Format

router = APIRouter(prefix="/v1", tags=["records"], responses=errors(401, 403))
EVALUATION_COLS = """evaluation_id, interaction_id, agent_id, team_id, evaluator_id, method,
    scorecard_id, scorecard_version, standard_version, score, critical_failed,
    calibration_session_id, counts_toward_agent, evaluated_at"""


@router.get("/evaluations", response_model=list[Evaluation])
async def evaluations(
    request: Request,
    who: Annotated[Principal, Depends(allow("evaluations"))],
    team_id: Text | None = None,
    agent_id: Text | None = None,
    start: Instant | None = None,
    end: Instant | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[dict[str, Any]]:
    """QA evaluations (newest first) the caller may see; each one served is access-logged."""
    rows_of = narrowed(who, team_id, agent_id)
    pool = request.app.state.pool
    rows = await pool.fetch(
        f"""SELECT {EVALUATION_COLS} FROM reporting.evaluation_facts
            WHERE ($1::text IS NULL OR team_id = $1) AND ($2::text IS NULL OR agent_id = $2)
              AND ($3::timestamptz IS NULL OR evaluated_at >= $3)
              AND ($4::timestamptz IS NULL OR evaluated_at < $4)
            ORDER BY evaluated_at DESC, evaluation_id LIMIT $5 OFFSET $6""",
        rows_of.team_id,
        rows_of.agent_id,
        start,
        end,
        limit,
        offset,
    )
    await log_access(
        pool,
        who,
        "evaluation",
        [(r["evaluation_id"], r["agent_id"]) for r in rows],
        request.url.path,
    )
    return [dict(r) for r in rows]


@router.get("/evaluations/{evaluation_id}", response_model=Evaluation, responses=errors(404))
async def evaluation(
    request: Request,
    evaluation_id: Text,
    who: Annotated[Principal, Depends(allow("evaluation"))],
) -> dict[str, Any]:
    pool = request.app.state.pool
    row = await pool.fetchrow(
        f"SELECT {EVALUATION_COLS} FROM reporting.evaluation_facts WHERE evaluation_id = $1",
        evaluation_id,
    )
    # Someone else's record answers like a missing one: no confirming it exists.
    if row is None or not may_read_record(who, row["agent_id"], row["team_id"]):
        raise HTTPException(404, f"no evaluation {evaluation_id} visible to this token")
    await log_access(pool, who, "evaluation", [(evaluation_id, row["agent_id"])], request.url.path)
    return dict(row)


@router.get("/actions", response_model=list[ActionRecord], responses=JSON_OR_CSV)
async def actions(
    request: Request,
    who: Annotated[Principal, Depends(allow("actions"))],
    status: Text | None = None,
    kind: Literal["coaching", "improvement"] | None = None,
    team_id: Text | None = None,
    agent_id: Text | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
    format: Format = "json",
) -> list[dict[str, Any]] | Response:
    """Actions the caller may see (agents: coaching addressed to them; team leaders: their
    team's), newest first, with the before/after evaluation once made."""
    rows_of = narrowed(who, team_id, agent_id)
    pool = request.app.state.pool
    rows = await pool.fetch(
        """SELECT action_id, kind, rule_id, scope_type, scope_id, team_id, metric, observed,
                  threshold, status, summary, owner, due_at, raised_at, updated_at,
                  evaluation::text AS evaluation
           FROM reporting.actions
           WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR kind = $2)
             AND ($3::text IS NULL OR team_id = $3)
             AND ($4::text IS NULL OR (scope_type = 'agent' AND scope_id = $4))
           ORDER BY raised_at DESC, action_id LIMIT $5 OFFSET $6""",
        status,
        kind,
        rows_of.team_id,
        rows_of.agent_id,
        limit,
        offset,
    )
    personal = [(r["action_id"], r["scope_id"]) for r in rows if r["scope_type"] == "agent"]
    await log_access(pool, who, "coaching_action", personal, request.url.path)
    out = [
        {**r, "evaluation": json.loads(r["evaluation"]) if r["evaluation"] else None}
        for r in map(dict, rows)
    ]
    if format == "csv":
        return Response(to_csv(out), media_type="text/csv")
    return out


@router.get("/alerts", response_model=list[Alert])
async def alerts(
    request: Request,
    _: Annotated[Principal, Depends(allow("alerts"))],
    since: Instant | None = None,
    limit: Limit = 100,
) -> list[dict[str, Any]]:
    rows = await request.app.state.pool.fetch(
        """SELECT * FROM reporting.alerts WHERE ($1::timestamptz IS NULL OR raised_at >= $1)
           ORDER BY raised_at DESC, alert_id LIMIT $2""",
        since,
        limit,
    )
    return [dict(r) for r in rows]


@router.get("/access-log", response_model=list[AccessLogEntry])
async def access_log(
    request: Request,
    _: Annotated[Principal, Depends(allow("access_log"))],
    agent_id: Text | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[dict[str, Any]]:
    """Who read which individual record, newest first."""
    rows = await request.app.state.pool.fetch(
        """SELECT id, at, token_id, role, subject, record_type, record_id, agent_id, path
           FROM reporting.access_log WHERE ($1::text IS NULL OR agent_id = $1)
           ORDER BY id DESC LIMIT $2 OFFSET $3""",
        agent_id,
        limit,
        offset,
    )
    return [dict(r) for r in rows]
