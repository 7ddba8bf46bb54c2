"""Scoring's response bodies (typed, so the OpenAPI document states them)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from contracts.gates import Agreement, GateRule, GateState
from services.scoring.domain.standards import ServiceLevelTarget


class Out(BaseModel):
    # Every key the handler returns must be declared: nothing is dropped silently.
    model_config = ConfigDict(extra="forbid")


class ScorecardRef(Out):
    id: str
    version: str
    title: str


class Standard(Out):
    id: str
    version: str
    scorecards: list[ScorecardRef]
    service_levels: list[ServiceLevelTarget]


class AgentCoverage(Out):
    plan_id: str
    team_id: str | None
    agent_id: str
    assigned: int
    random: int
    risk_based: int
    completed: int
    overdue: int
    target: int
    coverage_pct: float | None


class Coverage(Out):
    week: str
    agents: list[AgentCoverage]


class CriterionAccuracy(Out):
    criterion_id: str
    compared: int
    agreement_pct: float | None
    false_pass: int
    false_fail: int


class CriterionGate(Out):
    criterion_id: str
    state: GateState
    since: datetime | None  # the evaluation time of the pair that set the state (None: never)
    reason: str
    agreement: Agreement


class GateReport(Out):
    rule: GateRule
    criteria: list[CriterionGate]
