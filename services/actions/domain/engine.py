"""The pure rule engine: observations in, action decisions out. No I/O."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from contracts.actions import ActionRaised, Scope, TriggerKind
from contracts.envelope import derived_event_id
from contracts.events import EvaluationScoredEvent, InteractionScoredEvent, SurveyScoredEvent
from contracts.scores import QaResult
from services.actions.domain.rules import Fixed, Immediate, Rule, RuleSet


@dataclass(frozen=True, slots=True)
class Observation:
    """One scored fact about one agent, as the window rules see it."""

    event_id: str
    metric: str
    agent_id: str
    team_id: str | None
    queue: str | None
    at: datetime
    value: float
    critical_failed: bool
    evidence_id: str  # the interaction (or evaluation) an action can cite
    passed: tuple[str, ...] = field(default=())
    failed: tuple[str, ...] = field(default=())


def _criteria(qa: QaResult) -> tuple[tuple[str, ...], tuple[str, ...]]:
    passed = tuple(c.criterion_id for c in qa.criteria if c.passed is True)
    failed = tuple(c.criterion_id for c in qa.criteria if c.passed is False)
    return passed, failed


def observe(
    event: InteractionScoredEvent | EvaluationScoredEvent | SurveyScoredEvent,
) -> list[Observation]:
    """The metric streams rules can watch. Failure flags name what went wrong, so a rule's
    `failure.criterion` can point at a scorecard criterion or at `fcr`, `aht_long`,
    `csat_not_satisfied`, `nps_detractor`."""
    if isinstance(event, InteractionScoredEvent):
        return _interaction(event)
    if isinstance(event, SurveyScoredEvent):
        s = event.data
        survey = s.survey
        if survey.agent_id is None:
            return []
        out = []
        ref = survey.interaction_id or survey.response_id
        if s.csat_top2 is not None and survey.csat is not None:
            flags = () if s.csat_top2 else ("csat_not_satisfied",)
            out.append(
                Observation(
                    event.id,
                    "csat",
                    survey.agent_id,
                    survey.team_id,
                    survey.queue,
                    survey.responded_at,
                    survey.csat,
                    False,
                    ref,
                    failed=flags,
                )
            )
        if s.nps_category is not None and survey.nps is not None:
            flags = ("nps_detractor",) if s.nps_category == "detractor" else ()
            out.append(
                Observation(
                    event.id,
                    "nps",
                    survey.agent_id,
                    survey.team_id,
                    survey.queue,
                    survey.responded_at,
                    survey.nps,
                    False,
                    ref,
                    failed=flags,
                )
            )
        return out
    e = event.data
    if not e.counts_toward_agent:  # calibration scores never count toward an agent
        return []
    passed, failed = _criteria(e.qa)
    return [
        Observation(
            event.id,
            "qa_score",
            e.agent_id,
            e.team_id,
            None,
            e.evaluated_at,
            e.qa.score,
            e.qa.critical_failed,
            e.interaction_id,
            passed,
            failed,
        )
    ]


def _interaction(event: InteractionScoredEvent) -> list[Observation]:
    i, qa, op = event.data.interaction, event.data.auto_qa, event.data.operational
    if i.agent_id is None:
        return []
    out = []
    if qa is not None:
        passed, failed = _criteria(qa)
        out.append(
            Observation(
                event.id,
                "auto_qa_score",
                i.agent_id,
                i.team_id,
                i.queue,
                i.ended_at,
                qa.score,
                qa.critical_failed,
                i.interaction_id,
                passed,
                failed,
            )
        )
    if op.resolved_first_contact is not None:
        flags = () if op.resolved_first_contact else ("fcr",)
        out.append(
            Observation(
                event.id,
                "fcr",
                i.agent_id,
                i.team_id,
                i.queue,
                i.ended_at,
                float(op.resolved_first_contact),
                False,
                i.interaction_id,
                failed=flags,
            )
        )
    if op.aht_band is not None:
        flags = ("aht_long",) if op.aht_band == "long" else ()
        out.append(
            Observation(
                event.id,
                "aht",
                i.agent_id,
                i.team_id,
                i.queue,
                i.ended_at,
                op.handle_seconds,
                False,
                i.interaction_id,
                failed=flags,
            )
        )
    return out


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
