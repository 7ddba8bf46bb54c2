"""Improvement actions beyond one agent: team- and queue-scoped window rules, and the
root-cause action a complaint spike calls for. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from contracts.actions import ActionKind, ActionRaised, AlertRaised, Scope, ScopeType, TriggerKind
from contracts.envelope import derived_event_id
from services.actions.domain.judge import judge, label, threshold, trigger_kind
from services.actions.domain.observation import Observation
from services.actions.domain.rules import Rule, RuleSet


def evaluate_scope(
    rule: Rule, rules: RuleSet, scope_id: str, history: Sequence[Observation]
) -> ActionRaised | None:
    """A team- or queue-scoped rule: one improvement action when the scope's window breaches."""
    verdict = judge(rule, history)
    if not verdict.breached:
        return None
    window, _ = rule.window(list(history))
    last = max(window, key=lambda o: (o.at, o.event_id))
    scope = Scope(type=rule.scope, id=scope_id)
    what = label(rule)
    return ActionRaised(
        action_id=derived_event_id("action", rule.id, rule.scope.value, scope_id, last.event_id),
        kind=ActionKind.IMPROVEMENT,
        rule_id=rule.id,
        rule_version=rules.version,
        trigger=trigger_kind(rule),
        scope=scope,
        team_id=last.team_id if rule.scope is ScopeType.TEAM else None,
        metric=rule.metric,
        observed=round(verdict.rate, 4),
        threshold=threshold(rule),
        window_size=verdict.n,
        summary=f"{what} in {rule.scope.value} {scope_id}: {verdict.detail}",
        evidence=tuple(dict.fromkeys(o.evidence_id for o in window))[-20:],
        root_cause=f"To establish: what makes {what} miss target across {rule.scope.value} "
        f"{scope_id} (process, staffing, tooling, guidance)",
        plan=f"Plan: analyse the evidence contacts for {what}; agree a fix with the process "
        "owner. Do: apply it. Check: the metric over the next window. Act: standardise.",
        resources="Operations manager, process owner, QA analyst",
        owner="operations-manager",
        due_at=last.at + timedelta(days=rule.due_in_days),
        raised_at=last.at,
    )


def spike_action(alert: AlertRaised, rules_version: str, due_in_days: int = 14) -> ActionRaised:
    """A complaint spike calls for root-cause analysis of the category, not agent coaching."""
    category = alert.scope.id
    return ActionRaised(
        action_id=derived_event_id("action", "complaint-spike", category, alert.alert_id),
        kind=ActionKind.IMPROVEMENT,
        rule_id="complaint-spike",
        rule_version=rules_version,
        trigger=TriggerKind.STATISTICAL,
        scope=alert.scope,
        metric="complaints_per_day",
        observed=alert.observed,
        threshold=alert.target,
        window_size=int(alert.observed),
        summary=alert.message,
        root_cause=f"To find: what changed for '{category}' (process, product, policy, "
        "system outage, communication) — analyse the complaints' descriptions and "
        "root causes recorded on resolution",
        plan="Plan: root-cause analysis with the complaint handlers and the process owner. "
        "Do: fix the cause, brief the front line. Check: complaint rate for the category "
        "back to baseline. Act: update the procedure and the customer charter if needed.",
        resources="Complaints lead, process owner, QA analyst",
        owner="operations-manager",
        due_at=alert.raised_at + timedelta(days=due_in_days),
        raised_at=alert.raised_at,
    )
