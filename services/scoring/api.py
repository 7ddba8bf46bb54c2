"""Scoring's read API: the standard in force and monitoring coverage against plan."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from contracts.gates import Agreement
from runtime.http import errors
from runtime.identity import Caller, Scope, guard
from services.scoring import store
from services.scoring.domain.access import POLICY
from services.scoring.domain.gate import effective
from services.scoring.domain.monitoring import iso_week
from services.scoring.schemas import Coverage, CriterionAccuracy, GateReport, Standard

router = APIRouter(prefix="/v1", tags=["scoring"], responses=errors(401, 403))
require = guard(POLICY)


@router.get(
    "/standard", response_model=Standard, dependencies=[Depends(require("scoring.standard"))]
)
async def standard(request: Request) -> dict[str, Any]:
    """The standard in force: its version, scorecards (with versions) and targets."""
    s = request.app.state.standard
    return {
        "id": s.id,
        "version": s.version,
        "scorecards": [{"id": c.id, "version": c.version, "title": c.title} for c in s.scorecards],
        "service_levels": [t.model_dump() for t in s.service_levels],
    }


@router.get("/monitoring/coverage", response_model=Coverage)
async def coverage(
    request: Request,
    caller: Annotated[Caller, Depends(require("scoring.coverage"))],
    week: Annotated[str | None, Query(pattern=r"^\d{4}-W\d{2}$")] = None,
) -> dict[str, Any]:
    """Per plan and agent: evaluations assigned (random / risk-based), completed, overdue,
    against the plan's target per agent per week."""
    week = week or iso_week(datetime.now(UTC))
    plans = {p.id: p for p in request.app.state.standard.monitoring.plans}
    team = caller.principal.subject if caller.scope is Scope.TEAM else None
    rows = await store.coverage(request.app.state.pool, week, team)
    agents = []
    for r in rows:
        target = plans[r["plan_id"]].evaluations_per_agent_per_week if r["plan_id"] in plans else 0
        agents.append(
            {
                **dict(r),
                "target": target,
                "coverage_pct": round(100 * r["completed"] / target, 1) if target else None,
            }
        )
    return {"week": week, "agents": agents}


@router.get(
    "/autoqa/accuracy",
    response_model=list[CriterionAccuracy],
    dependencies=[Depends(require("scoring.autoqa_accuracy"))],
)
async def autoqa_accuracy(request: Request) -> list[dict[str, Any]]:
    """The automated checks' measured error per criterion, against human evaluations of the
    same interactions: agreement %, false passes (auto yes, human no), false fails."""
    return [dict(r) for r in await store.autoqa_accuracy(request.app.state.pool)]


@router.get(
    "/autoqa/gate",
    response_model=GateReport,
    dependencies=[Depends(require("scoring.autoqa_gate"))],
)
async def autoqa_gate(request: Request) -> dict[str, Any]:
    """The trust gate per automated criterion: trusted (its answers feed rules and alerts) or
    unverified (shown, raise nothing), since when and why, on the window's agreement with
    human evaluators — Cohen's kappa with its confidence interval, false-pass and false-fail
    rates with Wilson intervals, the number of pairs."""
    rule = request.app.state.gate
    judged = {g.criterion_id: g for g in await store.all_gates(request.app.state.pool)}
    criteria = []
    for cid in sorted(set(judged) | request.app.state.automated_criteria):
        g = judged.get(cid)
        criteria.append(
            {
                "criterion_id": cid,
                "state": effective(g, rule),
                "since": g.since if g else None,
                "reason": g.reason if g else "no paired evaluation yet",
                "agreement": g.agreement if g else Agreement(pairs=0),
            }
        )
    return {"rule": rule, "criteria": criteria}
