"""Action and alert events: what the actions service raised and how each action went."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field

from contracts.common import AwareDatetime, Frozen, Id, Severity


class ActionKind(StrEnum):
    COACHING = "coaching"  # one agent
    IMPROVEMENT = "improvement"  # a team, queue or process (suspected systemic cause)


class ScopeType(StrEnum):
    AGENT = "agent"
    TEAM = "team"
    QUEUE = "queue"
    CHANNEL = "channel"
    COMPLAINT_CATEGORY = "complaint_category"


class TriggerKind(StrEnum):
    FIXED = "fixed"
    STATISTICAL = "statistical"
    IMMEDIATE = "immediate"


class ActionStatus(StrEnum):
    RAISED = "raised"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    EVALUATED = "evaluated"
    CANCELLED = "cancelled"


class Scope(Frozen):
    type: ScopeType
    id: Id


Text = Annotated[str, Field(max_length=4000)]


class ActionRaised(Frozen):
    action_id: Id
    kind: ActionKind
    rule_id: Id
    rule_version: Id
    trigger: TriggerKind
    scope: Scope
    team_id: Id | None = None
    metric: Id
    observed: float
    threshold: float
    window_size: Annotated[int, Field(ge=1)]
    summary: Text
    evidence: tuple[Id, ...] = ()  # interaction / evaluation ids
    strengths: tuple[Text, ...] = ()
    areas_to_improve: tuple[Text, ...] = ()
    suggested_activity: Text | None = None
    root_cause: Text | None = None
    plan: Text | None = None
    resources: Text | None = None
    owner: Id | None = None
    due_at: AwareDatetime
    raised_at: AwareDatetime


class ActionTransitioned(Frozen):
    """A lifecycle step; `escalated` marks an overdue action escalated (status unchanged)."""

    action_id: Id
    status: ActionStatus
    previous: ActionStatus | None = None
    at: AwareDatetime
    by: Id | None = None
    reason: Text | None = None
    escalated: bool = False


class Verdict(StrEnum):
    IMPROVED = "improved"
    NO_CHANGE = "no_change"
    WORSE = "worse"
    NOT_ENOUGH_DATA = "not_enough_data"


class ActionEvaluated(Frozen):
    action_id: Id
    metric: Id
    test: Id
    before: float | None
    after: float | None
    n_before: int
    n_after: int
    effect_size: float | None
    p_value: float | None
    verdict: Verdict
    evaluated_at: AwareDatetime


class AlertRaised(Frozen):
    alert_id: Id
    kind: Id  # service_level, abandonment, complaint_spike, critical_breach
    group_key: Id  # one incident, one alert
    severity: Severity
    scope: Scope
    metric: Id
    observed: float
    target: float
    interval_start: AwareDatetime
    message: Text
    raised_at: AwareDatetime
    # The team whose member or whom the alert is about (None for queues and categories), so
    # a team leader sees their team's alerts only; additive, optional (schema version 1).
    team_id: Id | None = None


# Scope types that name no person: any team leader may see an alert about one of them.
IMPERSONAL_SCOPES = (ScopeType.QUEUE, ScopeType.CHANNEL, ScopeType.COMPLAINT_CATEGORY)


def alert_team(a: AlertRaised) -> str | None:
    """The team an alert belongs to: the one it names, or the team of the agent it names."""
    return a.team_id or (a.scope.id if a.scope.type is ScopeType.TEAM else None)


def team_sees_alert_sql(n: int) -> str:
    """SQL: a row of an alerts table (`team_id`, `scope_type`) is visible to the team given as
    parameter `$n` (NULL: no restriction)."""
    impersonal = ", ".join(f"'{t.value}'" for t in IMPERSONAL_SCOPES)
    return f"(${n}::text IS NULL OR team_id = ${n} OR scope_type IN ({impersonal}))"
