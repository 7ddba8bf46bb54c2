"""Agent coaching: immediate critical breaches, fixed thresholds over a window, and the
balanced coaching action (strengths, areas to improve, evidence). Pure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import timedelta

from contracts.actions import ActionRaised, Scope, TriggerKind
from contracts.envelope import derived_event_id
from services.actions.domain.observation import Observation
from services.actions.domain.rules import Fixed, Immediate, Rule, RuleSet


def coaching_action(
    rule: Rule,
    rules: RuleSet,
    window: Sequence[Observation],
    observed: float,
    threshold: float,
    trigger: TriggerKind,
    summary: str,
) -> ActionRaised:
    last = window[-1]
    failed = Counter(c for o in window for c in o.failed)
    passed = Counter(c for o in window for c in o.passed)
    areas = tuple(f"{c}: missed in {n} of {len(window)}" for c, n in failed.most_common(5))
    strengths = tuple(
        f"{c}: met in {n} of {len(window)}" for c, n in passed.most_common() if c not in failed
    )[:5]
    return ActionRaised(
        action_id=derived_event_id("action", rule.id, "agent", last.agent_id, last.event_id),
        kind=rule.kind,
        rule_id=rule.id,
        rule_version=rules.version,
        trigger=trigger,
        scope=Scope(type=rule.scope, id=last.agent_id),
        team_id=last.team_id,
        metric=rule.metric,
        observed=round(observed, 2),
        threshold=threshold,
        window_size=len(window),
        summary=summary,
        evidence=tuple(dict.fromkeys(o.evidence_id for o in window))[-10:],
        strengths=strengths,
        areas_to_improve=areas,
        suggested_activity=rule.suggested_activity,
        owner=f"team-leader:{last.team_id}" if last.team_id else None,
        due_at=last.at + timedelta(days=rule.due_in_days),
        raised_at=last.at,
    )


def immediate(rules: RuleSet, new: Iterable[Observation]) -> list[ActionRaised]:
    out = []
    for rule in rules.rules:
        if not isinstance(rule.trigger, Immediate):
            continue
        for o in new:
            if o.metric == rule.metric and o.critical_failed:
                summary = f"Critical criterion failed on {o.evidence_id}"
                out.append(
                    coaching_action(rule, rules, [o], o.value, 0.0, TriggerKind.IMMEDIATE, summary)
                )
    return out


def windowed(rule: Rule, rules: RuleSet, window: Sequence[Observation]) -> ActionRaised | None:
    """Evaluate a fixed-threshold rule on one scope's window (oldest first)."""
    window, _ = rule.window(list(window))
    trigger = rule.trigger
    if not isinstance(trigger, Fixed) or len(window) < trigger.min_events:
        return None
    mean = sum(o.value for o in window) / len(window)
    breached = (trigger.below is not None and mean < trigger.below) or (
        trigger.above is not None and mean > trigger.above
    )
    if not breached:
        return None
    threshold = trigger.below if trigger.below is not None else trigger.above
    assert threshold is not None
    summary = f"{rule.metric} averaged {mean:.1f} over the last {len(window)} (target {threshold})"
    return coaching_action(rule, rules, window, mean, threshold, TriggerKind.FIXED, summary)
