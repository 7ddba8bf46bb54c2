"""The CloudEvents this service emits, with deterministic ids (a replay emits the same ids)."""

from __future__ import annotations

from contracts.actions import ActionEvaluated, ActionRaised, ActionTransitioned, AlertRaised
from contracts.envelope import derived_event_id
from contracts.events import (
    ActionEvaluatedEvent,
    ActionRaisedEvent,
    ActionTransitionedEvent,
    AlertRaisedEvent,
)
from services.actions.names import SOURCE


def raised(a: ActionRaised) -> ActionRaisedEvent:
    return ActionRaisedEvent(
        id=a.action_id, source=SOURCE, time=a.raised_at, subject=a.scope.id, data=a
    )


def transitioned(t: ActionTransitioned) -> ActionTransitionedEvent:
    return ActionTransitionedEvent(
        id=derived_event_id(
            "transition", t.action_id, t.status.value, t.at.isoformat(), str(t.escalated)
        ),
        source=SOURCE,
        time=t.at,
        subject=t.action_id,
        data=t,
    )


def evaluated(r: ActionEvaluated) -> ActionEvaluatedEvent:
    return ActionEvaluatedEvent(
        id=derived_event_id("evaluated", r.action_id),
        source=SOURCE,
        time=r.evaluated_at,
        subject=r.action_id,
        data=r,
    )


def alert(a: AlertRaised) -> AlertRaisedEvent:
    return AlertRaisedEvent(
        id=a.alert_id, source=SOURCE, time=a.raised_at, subject=a.group_key, data=a
    )
