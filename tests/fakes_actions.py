"""An in-memory actions store with the Postgres store's interface and rules (one open action
per rule and scope, cooldown after a close, one open incident per kind and scope, counters that
add up), and scored-event builders, so the batch orchestration is tested without Kafka or
Postgres. `tests/unit/actions/test_fakes.py` keeps the interfaces in step."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from contracts import topics
from contracts.actions import ActionEvaluated, ActionRaised, ActionStatus, AlertRaised
from contracts.complaints import ComplaintRaised
from contracts.envelope import CloudEvent, kafka_headers
from contracts.events import ComplaintScoredEvent, InteractionScoredEvent
from contracts.inbound import inbound_adapter
from contracts.interactions import InteractionCompleted
from contracts.scores import (
    ComplaintScored,
    CriterionResult,
    InteractionScored,
    OperationalResult,
    QaResult,
    SectionResult,
)
from runtime.kafka import Outgoing
from services.actions.alerting.domain.alerts import QueueInterval
from services.actions.alerting.domain.tally import ComplaintDay
from services.actions.alerting.domain.visibility import team_of, visible
from services.actions.domain.engine import Histories, Need
from services.actions.domain.lifecycle import OPEN
from services.actions.domain.observation import Observation
from services.actions.store.actions import Done, Overdue
from services.actions.store.deliveries import Delivery
from tests import factories as f

Clock = Callable[[], datetime]


def _now() -> datetime:
    return datetime.now(UTC)


def _ordered(rows: Iterable[Observation], metric: str) -> list[Observation]:
    return sorted((o for o in rows if o.metric == metric), key=lambda o: (o.at, o.event_id))


def scope_history(rows: Iterable[Observation], need: Need) -> dict[str, list[Observation]]:
    """What the store loads for a flat `need`: the last `depth` per scope id, oldest first."""
    out: dict[str, list[Observation]] = {}
    for o in _ordered(rows, need.metric):
        if (key := getattr(o, need.column)) in need.ids:
            out.setdefault(key, []).append(o)
    return {k: out[k][-need.depth :] for k in sorted(out)}


def team_history(
    rows: Iterable[Observation], need: Need
) -> dict[str, dict[str, list[Observation]]]:
    """What the store loads for a `per_agent` need: each agent's last `depth`, per team."""
    out: dict[str, dict[str, list[Observation]]] = {}
    for o in _ordered(rows, need.metric):
        if o.team_id is not None and o.team_id in need.ids:
            out.setdefault(o.team_id, {}).setdefault(o.agent_id, []).append(o)
    return {t: {a: out[t][a][-need.depth :] for a in sorted(out[t])} for t in sorted(out)}


def histories(rows: Sequence[Observation], needs: Sequence[Need]) -> Histories:
    """Every need loaded from `rows`, as the handler's load step does from the store."""
    return Histories(
        {n: scope_history(rows, n) for n in needs if not n.per_agent},
        {n: team_history(rows, n) for n in needs if n.per_agent},
    )


@dataclass
class FakeObservations:
    rows: dict[tuple[str, str], Observation] = field(default_factory=dict)
    loaded: list[Need] = field(default_factory=list)  # every history asked for, in order

    async def record(self, observations: Sequence[Observation]) -> None:
        for o in observations:
            self.rows.setdefault((o.event_id, o.metric), o)

    async def histories(self, need: Need) -> dict[str, list[Observation]]:
        self.loaded.append(need)
        return scope_history(self.rows.values(), need)

    async def team_histories(self, need: Need) -> dict[str, dict[str, list[Observation]]]:
        self.loaded.append(need)
        return team_history(self.rows.values(), need)

    async def between(
        self, metric: str, column: str, scope_id: str, start: datetime, end: datetime
    ) -> list[Observation]:
        return [
            o
            for o in _ordered(self.rows.values(), metric)
            if getattr(o, column) == scope_id and start <= o.at < end
        ]


@dataclass
class FakeActions:
    now: Clock = _now
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)

    async def insert(self, a: ActionRaised, cooldown_days: float) -> bool:
        since = self.now() - timedelta(days=cooldown_days)
        for r in self.rows.values():
            same = (r["rule_id"], r["scope_type"], r["scope_id"]) == (
                a.rule_id,
                a.scope.type.value,
                a.scope.id,
            )
            if same and (
                ActionStatus(r["status"]) in OPEN or (r["closed_at"] and r["closed_at"] > since)
            ):
                return False
        if a.action_id in self.rows:
            return False
        self.rows[a.action_id] = {
            "action_id": a.action_id,
            "kind": a.kind.value,
            "rule_id": a.rule_id,
            "rule_version": a.rule_version,
            "trigger": a.trigger.value,
            "scope_type": a.scope.type.value,
            "scope_id": a.scope.id,
            "team_id": a.team_id,
            "metric": a.metric,
            "observed": a.observed,
            "threshold": a.threshold,
            "window_size": a.window_size,
            "status": ActionStatus.RAISED.value,
            "summary": a.summary,
            "payload": a.model_dump_json(),
            "due_at": a.due_at,
            "raised_at": a.raised_at,
            "updated_at": self.now(),
            "done_at": None,
            "closed_at": None,
            "escalated_at": None,
            "evaluation": None,
        }
        return True

    async def lock_status(self, action_id: str) -> ActionStatus | None:
        row = self.rows.get(action_id)
        return None if row is None else ActionStatus(row["status"])

    async def set_status(
        self, action_id: str, status: ActionStatus, at: datetime
    ) -> dict[str, Any]:
        row = self.rows[action_id]
        row.update(status=status.value, updated_at=at)
        if status is ActionStatus.DONE:
            row["done_at"] = at
        if status in (ActionStatus.DONE, ActionStatus.CANCELLED):
            row["closed_at"] = at
        return dict(row)

    async def escalate_overdue(self, now: datetime) -> list[Overdue]:
        out = []
        for r in self.rows.values():
            if (
                r["escalated_at"] is None
                and r["due_at"] < now
                and ActionStatus(r["status"]) in OPEN
            ):
                r.update(escalated_at=now, updated_at=now)
                out.append(Overdue(r["action_id"], ActionStatus(r["status"]), r["due_at"]))
        return out

    async def done_before(self, cutoff: datetime) -> list[Done]:
        keys = ("action_id", "rule_id", "metric", "scope_type", "scope_id", "done_at")
        return [
            Done(*(r[k] for k in keys))
            for r in self.rows.values()
            if r["status"] == "done" and r["done_at"] <= cutoff
        ]

    async def set_evaluated(self, result: ActionEvaluated) -> None:
        self.rows[result.action_id].update(
            status="evaluated",
            updated_at=result.evaluated_at,
            evaluation=result.model_dump_json(),
        )

    async def search(
        self,
        status: str | None,
        kind: str | None,
        scope_type: str | None,
        scope_id: str | None,
        limit: int,
        offset: int,
        team_id: str | None = None,
        agent_id: str | None = None,
    ) -> list[dict[str, Any]]:
        wanted = {
            "status": status,
            "kind": kind,
            "scope_type": scope_type,
            "scope_id": scope_id,
            "team_id": team_id,
        }
        found = [
            dict(r)
            for r in self.rows.values()
            if all(v is None or r[k] == v for k, v in wanted.items())
            and (agent_id is None or (r["scope_type"], r["scope_id"]) == ("agent", agent_id))
        ]
        found.sort(key=lambda r: r["action_id"])
        found.sort(key=lambda r: r["raised_at"], reverse=True)
        return found[offset : offset + limit]

    async def get(self, action_id: str) -> dict[str, Any] | None:
        row = self.rows.get(action_id)
        return None if row is None else dict(row)


@dataclass
class FakeOutbox:
    rows: list[tuple[int, Outgoing]] = field(default_factory=list)
    published: set[int] = field(default_factory=set)

    async def append(
        self, event: CloudEvent[Any], key: str, topic: str = topics.ACTIONS.name
    ) -> None:
        value = event.model_dump_json().encode()
        record = Outgoing(topic, key.encode(), value, kafka_headers(event))
        self.rows.append((len(self.rows) + 1, record))

    async def unpublished(self, limit: int = 500) -> list[tuple[int, Outgoing]]:
        return [(s, r) for s, r in self.rows if s not in self.published][:limit]

    async def mark_published(self, seqs: Sequence[int]) -> None:
        self.published.update(seqs)

    def events(self, topic: str) -> list[dict[str, Any]]:
        """The outboxed events on a topic, decoded, oldest first."""
        return [json.loads(r.value) for _, r in self.rows if r.topic == topic]


@dataclass
class FakeAlerts:
    now: Clock = _now
    intervals: dict[tuple[str, datetime], QueueInterval] = field(default_factory=dict)
    complaints: dict[tuple[str, date], int] = field(default_factory=dict)
    incidents: dict[str, dict[str, Any]] = field(default_factory=dict)

    async def add_intervals(self, increments: Sequence[QueueInterval]) -> list[QueueInterval]:
        out = []
        for i in increments:
            key = (i.queue, i.interval_start)
            held = self.intervals.get(key)
            if held is not None:
                i = replace(
                    i,
                    offered=held.offered + i.offered,
                    within=held.within + i.within,
                    all_offered=held.all_offered + i.all_offered,
                    abandoned=held.abandoned + i.abandoned,
                )
            self.intervals[key] = i
            out.append(i)
        return out

    async def resolve_recovered(self, kind: str, queue: str, interval_start: datetime) -> None:
        for r in self._open():
            if (r["kind"], r["scope_type"], r["scope_id"]) == (kind, "queue", queue) and r[
                "interval_start"
            ] < interval_start:
                r["resolved_at"] = self.now()

    async def add_complaints(self, c: ComplaintDay) -> int:
        key = (c.category, c.day.date())
        self.complaints[key] = self.complaints.get(key, 0) + c.complaints
        return self.complaints[key]

    async def complaint_history(self, category: str, start: date, end: date) -> dict[date, int]:
        return {d: n for (c, d), n in self.complaints.items() if c == category and start <= d < end}

    def _open(self) -> list[dict[str, Any]]:
        return [r for r in self.incidents.values() if r["resolved_at"] is None]

    async def open_incident(self, a: AlertRaised) -> bool:
        scope = (a.kind, a.scope.type.value, a.scope.id)
        held = [r for r in self._open() if (r["kind"], r["scope_type"], r["scope_id"]) == scope]
        if a.alert_id in self.incidents or held:
            for r in held:
                r.update(last_seen_at=self.now(), occurrences=r["occurrences"] + 1)
            return False
        now = self.now()
        self.incidents[a.alert_id] = {
            "alert_id": a.alert_id,
            "kind": a.kind,
            "scope_type": a.scope.type.value,
            "scope_id": a.scope.id,
            "team_id": team_of(a),
            "severity": a.severity.value,
            "metric": a.metric,
            "observed": a.observed,
            "target": a.target,
            "interval_start": a.interval_start,
            "message": a.message,
            "raised_at": a.raised_at,
            "created_at": now,
            "last_seen_at": now,
            "occurrences": 1,
            "resolved_at": None,
            "payload": a.model_dump_json(),
        }
        return True

    async def resolve_quiet(self, kinds: Sequence[str], quiet: timedelta) -> int:
        stale = [
            r for r in self._open() if r["kind"] in kinds and r["last_seen_at"] < self.now() - quiet
        ]
        for r in stale:
            r["resolved_at"] = self.now()
        return len(stale)

    async def search(
        self, open_only: bool, limit: int, team: str | None = None
    ) -> list[dict[str, Any]]:
        rows = self._open() if open_only else list(self.incidents.values())
        rows = [r for r in rows if visible(r["scope_type"], r["team_id"], team)]
        rows = sorted(rows, key=lambda r: r["created_at"], reverse=True)[:limit]
        return [{k: v for k, v in r.items() if k != "payload"} for r in rows]

    async def created_after(
        self, since: datetime, team: str | None = None
    ) -> list[tuple[str, datetime, str]]:
        rows = sorted(self.incidents.values(), key=lambda r: r["created_at"])
        return [
            (r["alert_id"], r["created_at"], r["payload"])
            for r in rows
            if r["created_at"] > since and visible(r["scope_type"], r["team_id"], team)
        ]


@dataclass
class FakeDeliveries:
    rows: dict[int, dict[str, Any]] = field(default_factory=dict)
    log: list[tuple[int, int, datetime, int | None, str | None]] = field(default_factory=list)

    async def enqueue(self, alert_id: str, urls: Sequence[str], body: bytes) -> None:
        for url in urls:
            if any((r["alert_id"], r["url"]) == (alert_id, url) for r in self.rows.values()):
                continue
            n = len(self.rows) + 1
            self.rows[n] = {"alert_id": alert_id, "url": url, "body": body, "attempts": 0}
            self.rows[n].update(next_attempt_at=datetime.min.replace(tzinfo=UTC), done=False)

    async def due(self, limit: int = 50) -> list[Delivery]:
        now = _now()
        due = [
            (n, r) for n, r in self.rows.items() if not r["done"] and r["next_attempt_at"] <= now
        ]
        return [Delivery(n, r["url"], r["body"], r["attempts"]) for n, r in due[:limit]]

    async def log_attempt(
        self, delivery_id: int, attempt: int, at: datetime, status: int | None, error: str | None
    ) -> None:
        self.log.append((delivery_id, attempt, at, status, error))

    async def delivered(self, delivery_id: int, attempts: int, at: datetime) -> None:
        self.rows[delivery_id].update(attempts=attempts, done=True, delivered_at=at)

    async def failed(self, delivery_id: int, attempts: int, at: datetime) -> None:
        self.rows[delivery_id].update(attempts=attempts, done=True, failed_at=at)

    async def retry_at(self, delivery_id: int, attempts: int, at: datetime) -> None:
        self.rows[delivery_id].update(attempts=attempts, next_attempt_at=at)


@dataclass
class FakeStore:
    """`services.actions.store.Store`'s families, in memory (one shared clock)."""

    now: Clock = _now
    observations: FakeObservations = field(default_factory=FakeObservations)
    actions: FakeActions = field(init=False)
    outbox: FakeOutbox = field(default_factory=FakeOutbox)
    alerts: FakeAlerts = field(init=False)
    deliveries: FakeDeliveries = field(default_factory=FakeDeliveries)

    def __post_init__(self) -> None:
        self.actions = FakeActions(self.now)
        self.alerts = FakeAlerts(self.now)


def interaction_scored(
    *,
    agent: str = "agent-1",
    team: str = "team-a",
    queue: str = "billing",
    offered: datetime = f.T0,
    wait: float = 12.0,
    abandoned: bool = False,
    summary_ok: bool | None = None,
    critical_failed: bool = False,
    targets: tuple[float, float] | None = None,
) -> InteractionScoredEvent:
    """A scored interaction; `summary_ok` adds an automated QA result (summary criterion),
    `targets` the service-level and abandonment targets (percent) interval alerts use."""
    raw = f.interaction(
        agent=agent, team=team, queue=queue, offered=offered, wait=wait, abandoned=abandoned
    )
    i = InteractionCompleted.model_validate(
        inbound_adapter.validate_python(raw).data.model_dump() | {"customer": None}
    )
    op = OperationalResult(
        sl_threshold_seconds=20,
        sl_variant="offered",
        counts_as_offered=True,
        answered_within_threshold=not abandoned and wait <= 20,
        handle_seconds=0 if abandoned else i.handle_seconds,
        aht_band=None if abandoned else "normal",
        transferred=False,
        resolved_first_contact=i.resolved_first_contact,
        sl_target_percent=targets[0] if targets else None,
        abandonment_target_percent=targets[1] if targets else None,
    )
    qa = None
    if summary_ok is not None or critical_failed:
        qa = QaResult(
            scorecard_id="core-qa",
            scorecard_version="v",
            score=0 if critical_failed else (90 if summary_ok else 70),
            critical_failed=critical_failed,
            automated=True,
            sections=(SectionResult(section_id="closing", weight=1, score=100),),
            criteria=(
                CriterionResult(
                    criterion_id="summary",
                    section_id="closing",
                    answer="no" if summary_ok is False else "yes",
                    points=0 if summary_ok is False else 1,
                    max_points=1,
                    automated=True,
                ),
            ),
        )
    data = InteractionScored(
        source_event_id=raw["id"], standard_version="s", interaction=i, operational=op, auto_qa=qa
    )
    return InteractionScoredEvent(id=f"scored-{raw['id']}", source="/t", time=i.ended_at, data=data)


def complaint_scored(category: str, at: datetime) -> ComplaintScoredEvent:
    raw = f.complaint(at=at)
    raw["data"]["category"] = category
    c = ComplaintRaised.model_validate(
        inbound_adapter.validate_python(raw).data.model_dump() | {"customer": None}
    )
    data = ComplaintScored(
        source_event_id=raw["id"],
        standard_version="s",
        complaint=c,
        severity=c.severity,
        acknowledge_by=at,
        resolve_by=at,
    )
    return ComplaintScoredEvent(id=f"scored-{raw['id']}", source="/t", time=at, data=data)
