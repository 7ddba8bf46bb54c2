"""Scored, action and alert events as the upstream services publish them, for reporting tests."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from aiokafka import AIOKafkaProducer

from contracts import topics
from contracts.actions import (
    ActionEvaluated,
    ActionKind,
    ActionRaised,
    ActionStatus,
    ActionTransitioned,
    AlertRaised,
    Scope,
    ScopeType,
    TriggerKind,
    Verdict,
)
from contracts.common import Severity
from contracts.events import (
    ActionEvaluatedEvent,
    ActionRaisedEvent,
    ActionTransitionedEvent,
    AlertRaisedEvent,
)


def action_events(
    team: str, agent: str, at: datetime, evaluated: bool = True
) -> list[ActionRaisedEvent | ActionTransitionedEvent | ActionEvaluatedEvent]:
    action_id = f"act-{uuid.uuid4().hex[:10]}"
    raised = ActionRaised(
        action_id=action_id,
        kind=ActionKind.COACHING,
        rule_id="test-rule",
        rule_version="v1",
        trigger=TriggerKind.FIXED,
        scope=Scope(type=ScopeType.AGENT, id=agent),
        team_id=team,
        metric="qa_score",
        observed=61.0,
        threshold=80.0,
        window_size=10,
        summary=f"{agent} below target",
        owner=f"team-leader:{team}",
        due_at=at + timedelta(days=14),
        raised_at=at,
    )
    out: list[Any] = [ActionRaisedEvent(id=str(uuid.uuid4()), source="/t", time=at, data=raised)]
    steps = [ActionStatus.ACKNOWLEDGED, ActionStatus.DONE]
    if evaluated:
        steps.append(ActionStatus.EVALUATED)
    for n, status in enumerate(steps, 1):
        out.append(
            ActionTransitionedEvent(
                id=str(uuid.uuid4()),
                source="/t",
                time=at + timedelta(hours=n),
                data=ActionTransitioned(
                    action_id=action_id, status=status, at=at + timedelta(hours=n)
                ),
            )
        )
    if evaluated:
        out.append(
            ActionEvaluatedEvent(
                id=str(uuid.uuid4()),
                source="/t",
                time=at + timedelta(hours=3),
                data=ActionEvaluated(
                    action_id=action_id,
                    metric="qa_score",
                    test="mann_whitney_u",
                    before=62.0,
                    after=84.5,
                    n_before=10,
                    n_after=12,
                    effect_size=0.7,
                    p_value=0.004,
                    verdict=Verdict.IMPROVED,
                    evaluated_at=at + timedelta(hours=3),
                ),
            )
        )
    return out


def alert_event(queue: str, at: datetime) -> AlertRaisedEvent:
    alert = AlertRaised(
        alert_id=f"alert-{uuid.uuid4().hex[:10]}",
        kind="service_level",
        group_key=f"service_level:{queue}",
        severity=Severity.HIGH,
        scope=Scope(type=ScopeType.QUEUE, id=queue),
        metric="service_level_pct",
        observed=41.0,
        target=80.0,
        interval_start=at,
        message=f"service level 41% in {queue} vs 80% target",
        raised_at=at,
    )
    return AlertRaisedEvent(id=str(uuid.uuid4()), source="/t", time=at, data=alert)


def topic_of(event: Any) -> str:
    name = type(event).__name__
    if name.startswith(("Action",)):
        return topics.ACTIONS.name
    if name.startswith("Alert"):
        return topics.ALERTS.name
    if name.startswith("Complaint") and name != "ComplaintScoredEvent":
        return topics.COMPLAINTS.name
    return topics.SCORES.name


def key_of(event: Any) -> bytes:
    """The partition keys of contracts/topics.py: an action's or a complaint's events stay in
    order on one partition."""
    data = event.data
    for attr in ("action_id", "complaint_id"):
        if hasattr(data, attr):
            return str(getattr(data, attr)).encode()
    if hasattr(data, "complaint"):
        return str(data.complaint.complaint_id).encode()
    return event.id.encode()


async def publish(bootstrap: str, events: list[Any], poison: int = 0) -> None:
    """Publish as the services do (acks=all); `poison` undecodable records on ql.scores."""
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=5
    )
    await producer.start()
    try:
        for e in events:
            await producer.send(topic_of(e), e.model_dump_json().encode(), key=key_of(e))
        for n in range(poison):
            await producer.send(topics.SCORES.name, b"{not json " + str(n).encode(), key=b"x")
        await producer.flush()
    finally:
        await producer.stop()
