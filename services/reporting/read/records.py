"""Individual records: QA evaluations, actions, alerts and the access log.

Every evaluation (a monitoring record) and every coaching action (about one agent) served is
written to the access log first, with who read it and through which path."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from runtime.http import Instant, Text, errors
from runtime.http import Limit1000 as Limit
from runtime.identity import Caller, Scope
from runtime.identity.store import log_access, read_access_log
from services.reporting.names import SERVICE
from services.reporting.read.auth import allow
from services.reporting.read.schemas import AccessLogEntry, ActionRecord, Alert, Evaluation, Format
from services.reporting.read.shared import JSON_OR_CSV, Page, answer, narrowed, paged
from services.reporting.read.store import records as store

router = APIRouter(prefix="/v1", tags=["records"], responses=errors(401, 403))


@router.get("/evaluations", response_model=list[Evaluation])
async def evaluations(
    request: Request,
    who: Annotated[Caller, Depends(allow("evaluations"))],
    page: Annotated[Page, Depends(paged)],
    team_id: Text | None = None,
    agent_id: Text | None = None,
    start: Instant | None = None,
    end: Instant | None = None,
) -> list[dict[str, Any]]:
    """QA evaluations (newest first) the caller may see; each one served is access-logged."""
    rows_of = narrowed(who, team_id, agent_id)
    pool = request.app.state.pool
    rows = await store.evaluations(pool, rows_of, start, end, page.limit, page.offset)
    read = [(r["evaluation_id"], r["agent_id"]) for r in rows]
    await log_access(pool, who.principal, SERVICE, "evaluation", read, request.url.path)
    return [dict(r) for r in rows]


@router.get("/evaluations/{evaluation_id}", response_model=Evaluation, responses=errors(404))
async def evaluation(
    request: Request,
    evaluation_id: Text,
    who: Annotated[Caller, Depends(allow("evaluation"))],
) -> dict[str, Any]:
    pool = request.app.state.pool
    row = await store.evaluation(pool, evaluation_id)
    # Someone else's record answers like a missing one: no confirming it exists.
    if row is None or not who.may_read(row["agent_id"], row["team_id"], row["evaluator_id"]):
        raise HTTPException(404, f"no evaluation {evaluation_id} visible to this token")
    await log_access(
        pool,
        who.principal,
        SERVICE,
        "evaluation",
        [(evaluation_id, row["agent_id"])],
        request.url.path,
    )
    return dict(row)


@router.get("/actions", response_model=list[ActionRecord], responses=JSON_OR_CSV)
async def actions(
    request: Request,
    who: Annotated[Caller, Depends(allow("actions"))],
    page: Annotated[Page, Depends(paged)],
    status: Text | None = None,
    kind: Literal["coaching", "improvement"] | None = None,
    team_id: Text | None = None,
    agent_id: Text | None = None,
    format: Format = "json",
) -> list[dict[str, Any]] | Response:
    """Actions the caller may see (agents: coaching addressed to them; team leaders: their
    team's), newest first, with the before/after evaluation once made."""
    rows_of = narrowed(who, team_id, agent_id)
    pool = request.app.state.pool
    rows = await store.actions(pool, status, kind, rows_of, page.limit, page.offset)
    personal = [(r["action_id"], r["scope_id"]) for r in rows if r["scope_type"] == "agent"]
    await log_access(pool, who.principal, SERVICE, "coaching_action", personal, request.url.path)
    out = [
        {**r, "evaluation": json.loads(r["evaluation"]) if r["evaluation"] else None}
        for r in map(dict, rows)
    ]
    return answer(out, format)


@router.get("/alerts", response_model=list[Alert])
async def alerts(
    request: Request,
    who: Annotated[Caller, Depends(allow("alerts"))],
    since: Instant | None = None,
    limit: Limit = 100,
) -> list[dict[str, Any]]:
    """Newest first: a team leader's team's alerts and those naming no person."""
    team = who.principal.subject if who.scope is Scope.TEAM else None
    return [dict(r) for r in await store.alerts(request.app.state.pool, since, limit, team)]


@router.get(
    "/access-log",
    response_model=list[AccessLogEntry],
    dependencies=[Depends(allow("access_log"))],
)
async def access_log(
    request: Request,
    page: Annotated[Page, Depends(paged)],
    agent_id: Text | None = None,
) -> list[dict[str, Any]]:
    """Who read which individual record, newest first, through any service."""
    rows = await read_access_log(request.app.state.pool, agent_id, page.limit, page.offset)
    return [dict(r) for r in rows]
