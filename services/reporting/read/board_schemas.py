"""The dashboard's response models (tiles, scope, actions)."""

from __future__ import annotations

from datetime import date, datetime

from services.reporting.domain.board import Status
from services.reporting.read.schemas import ActionBase, Alert, KpiFields, Out


class KpiTile(Out):
    value: float | None
    target: float | None
    status: Status
    latest_interval: datetime | None
    latest_value: float | None
    latest_status: Status


class QueueTile(Out):
    queue: str
    offered: int
    service_level_pct: KpiTile
    abandonment_pct: KpiTile
    asa_seconds: float | None
    aht_seconds: float | None


class TeamTile(KpiFields):
    team_id: str
    qa_score: float | None
    evaluations: int
    csat_pct: float | None
    csat_n: int
    fcr_target: float | None
    fcr_status: Status
    csat_target: float | None
    csat_status: Status


class DashboardScope(Out):
    role: str
    team_id: str | None


class DashboardAction(ActionBase):
    overdue: bool


class GateTile(Out):
    """An automated criterion's trust gate: unverified answers are shown and raise nothing."""

    criterion_id: str
    state: str
    since: datetime
    reason: str
    pairs: int
    kappa: float | None
    kappa_low: float | None
    kappa_high: float | None
    false_pass_rate: float | None
    false_fail_rate: float | None


class Dashboard(Out):
    day: date
    generated_at: datetime
    scope: DashboardScope
    queues: list[QueueTile]
    teams: list[TeamTile]
    alerts: list[Alert]
    actions_open: list[DashboardAction]
    actions_overdue: int
    actions_evaluated: list[DashboardAction]
    autoqa_gates: list[GateTile]
