"""The read API's response bodies (typed, so the OpenAPI document states every field).

`extra="forbid"`: a key a handler returns but a model lacks fails loudly in tests instead of
vanishing from the response (the dashboard page reads these names)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

Interval = tuple[float, float] | None  # a 95% Wilson interval, in percent


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class KpiFields(Out):
    """`domain.kpis.kpi_row`: operational KPIs from summed interval counters."""

    offered: int
    answered: int
    abandoned: int
    answered_within_threshold: int
    service_level_pct: float | None
    service_level_n: int
    service_level_ci95: Interval
    abandonment_pct: float | None
    abandonment_n: int
    abandonment_ci95: Interval
    fcr_pct: float | None
    fcr_n: int
    fcr_ci95: Interval
    transfer_pct: float | None
    transfer_n: int
    transfer_ci95: Interval
    asa_seconds: float | None
    aht_seconds: float | None
    hold_seconds_avg: float | None
    auto_qa_score: float | None
    critical_fails: int


class KpiRow(KpiFields):
    period: datetime
    scope: str
    scope_id: str


class ExperienceRow(Out):
    """`domain.kpis.experience_row` for one period and scope."""

    period: datetime
    scope: str
    scope_id: str | None  # complaints need not name a queue, team or agent
    csat_pct: float | None
    csat_n: int
    csat_ci95: Interval
    nps: float | None
    nps_n: int
    ces: float | None
    qa_score: float | None
    qa_n: int
    qa_critical_fails: int
    complaints: int
    contacts: int
    complaints_per_1000: float | None
    complaint_resolution_hours: float | None


class Target(Out):
    scope_type: str
    scope_id: str
    kpi: str
    target: float
    as_of: datetime


class Evaluation(Out):
    evaluation_id: str
    interaction_id: str
    agent_id: str
    team_id: str
    evaluator_id: str
    method: str
    scorecard_id: str
    scorecard_version: str
    standard_version: str
    score: float
    critical_failed: bool
    calibration_session_id: str | None
    counts_toward_agent: bool
    evaluated_at: datetime


class ActionBase(Out):
    action_id: str
    kind: str
    rule_id: str
    scope_type: str
    scope_id: str
    team_id: str | None
    metric: str
    status: str
    summary: str
    owner: str | None
    due_at: datetime
    raised_at: datetime
    evaluation: dict[str, Any] | None  # the `action.evaluated` event's data, once made


class ActionRecord(ActionBase):
    observed: float
    threshold: float
    updated_at: datetime


class Alert(Out):
    alert_id: str
    kind: str
    severity: str
    scope_type: str
    scope_id: str
    team_id: str | None = None
    metric: str
    observed: float
    target: float
    interval_start: datetime
    message: str
    raised_at: datetime


class AccessLogEntry(Out):
    id: int
    at: datetime
    token_id: str
    role: str
    subject: str | None
    service: str
    record_type: str
    record_id: str
    agent_id: str | None
    path: str


Format = Literal["json", "csv"]
