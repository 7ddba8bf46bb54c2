"""The AutoQA trust gate: per automated criterion, trusted only while its agreement with human
evaluators meets the bar; its state stamped on every automated answer. Pure.

Window: a criterion's most recent `window_pairs` pairs (by the human evaluation's time) that
lie within `window_days` of the newest pair — timed by the events, never by the clock, so a
replay judges alike. Rule: trusted while kappa's lower confidence bound >= `kappa_bar` on at
least `min_pairs` pairs; below `min_pairs` the criterion is `unmeasured` (by default
unverified: measured before trusted); otherwise unverified.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from contracts.envelope import CloudEvent, derived_event_id
from contracts.events import AutoQaGateChangedEvent, InteractionScoredEvent
from contracts.gates import Agreement, AutoQaGateChanged, GateRule, GateState
from services.scoring.domain.agreement import Pair, agreement


def window(pairs: Iterable[Pair], rule: GateRule) -> list[Pair]:
    """The pairs the gate judges, newest first."""
    ordered = sorted(pairs, key=lambda p: p.at, reverse=True)
    if not ordered:
        return []
    oldest = ordered[0].at - timedelta(days=rule.window_days)
    return [p for p in ordered if p.at > oldest][: rule.window_pairs]


def judge(a: Agreement, rule: GateRule) -> tuple[GateState, str]:
    """The state the agreement earns, and why."""
    if a.pairs < rule.min_pairs:
        return rule.unmeasured, f"{a.pairs} paired evaluations, fewer than {rule.min_pairs}"
    if a.kappa_low is None:
        return GateState.UNVERIFIED, "kappa undefined: both sides gave one answer throughout"
    level = f"{round(rule.confidence * 100)}%"
    kappa = f"kappa {a.kappa:.2f}, {level} lower bound {a.kappa_low:.2f}"
    if a.kappa_low >= rule.kappa_bar:
        return GateState.TRUSTED, f"{kappa} >= {rule.kappa_bar} on {a.pairs} pairs"
    return GateState.UNVERIFIED, f"{kappa} < {rule.kappa_bar} on {a.pairs} pairs"


@dataclass(frozen=True, slots=True)
class Gate:
    """A criterion's gate as stored: its state, since when, why, on what agreement."""

    criterion_id: str
    state: GateState
    since: datetime
    reason: str
    agreement: Agreement


def effective(gate: Gate | None, rule: GateRule) -> GateState:
    """The state in force under `rule`: what a criterion judged on fewer than `min_pairs`
    pairs (or never) is, is this rule's `unmeasured`, whichever rule judged it before."""
    if gate is None or gate.agreement.pairs < rule.min_pairs:
        return rule.unmeasured
    return gate.state


def in_force(gates: Mapping[str, Gate], rule: GateRule) -> dict[str, GateState]:
    return {c: effective(g, rule) for c, g in gates.items()}


@dataclass(frozen=True, slots=True)
class GateUpdate:
    gate: Gate
    changed: AutoQaGateChangedEvent | None  # when the state differs from the previous one


def decide(
    windows: Mapping[str, Sequence[Pair]],
    previous: Mapping[str, Gate],
    rule: GateRule,
    scorecard_id: str,
    source: str,
) -> list[GateUpdate]:
    """Each criterion's gate after its window changed; a change of state is an event. A
    criterion never judged before was `rule.unmeasured` (what its answers were stamped)."""
    out = []
    for criterion_id, pairs in sorted(windows.items()):
        judged = window(pairs, rule)
        if not judged:
            continue
        a = agreement(judged, rule.confidence)
        state, reason = judge(a, rule)
        before = previous.get(criterion_id)
        was = effective(before, rule)
        assert a.last_at is not None
        since = before.since if before and was == state else a.last_at
        gate = Gate(criterion_id, state, since, reason, a)
        event = None
        if state != was:
            data = AutoQaGateChanged(
                criterion_id=criterion_id,
                scorecard_id=scorecard_id,
                state=state,
                previous=was,
                since=since,
                reason=reason,
                rule=rule,
                agreement=a,
            )
            event = AutoQaGateChangedEvent(
                id=derived_event_id("autoqa-gate", criterion_id, state, since.isoformat()),
                source=source,
                time=since,
                subject=criterion_id,
                data=data,
            )
        out.append(GateUpdate(gate, event))
    return out


def stamp(
    event: CloudEvent[Any], states: Mapping[str, GateState], unmeasured: GateState
) -> CloudEvent[Any]:
    """A scored interaction with each automated answer marked verified (its criterion is
    trusted) or not; a criterion never judged is `unmeasured`."""
    if not isinstance(event, InteractionScoredEvent) or event.data.auto_qa is None:
        return event
    qa = event.data.auto_qa
    criteria = tuple(
        c.model_copy(
            update={"verified": states.get(c.criterion_id, unmeasured) is GateState.TRUSTED}
        )
        if c.automated
        else c
        for c in qa.criteria
    )
    data = event.data.model_copy(update={"auto_qa": qa.model_copy(update={"criteria": criteria})})
    return event.model_copy(update={"data": data})
