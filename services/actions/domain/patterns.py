"""Statistical triggers and attribution: the right action, for the right scope, only when the
evidence supports it. Pure.

- A window breaches a statistical rule when its failure rate is worse than target with the
  configured confidence (Wilson lower bound above `max_rate`) or above the p-chart upper limit
  of the scope's own baseline. One bad evaluation moves neither: a pattern does.
- With attribution, a team is judged as a whole: when at least `systemic_share` of its agents
  (with enough data) breach alike, one improvement action goes to the team (suspected systemic
  cause) and no agent is coached for it; otherwise an agent is coached only when their failure
  rate is significantly above their peers' (one-sided two-proportion z-test) while the peers
  themselves stay within the limit (peers slipping too point to a shared cause), judged only
  once peers' events up to the same time have arrived.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from contracts.actions import ActionKind, ActionRaised, Scope, ScopeType, TriggerKind
from contracts.envelope import derived_event_id
from services.actions.domain.engine import Observation, coaching_action
from services.actions.domain.rules import Failure, Fixed, Rule, RuleSet, Statistical
from services.actions.domain.stats import p_chart, two_proportion_z, wilson


def failed(o: Observation, f: Failure) -> bool:
    if f.criterion is not None:
        return f.criterion in o.failed
    if f.score_below is not None:
        return o.value < f.score_below
    return o.critical_failed


@dataclass(frozen=True, slots=True)
class Verdict:
    breached: bool
    failures: int
    n: int
    detail: str

    @property
    def rate(self) -> float:
        return self.failures / self.n if self.n else 0.0


def judge(rule: Rule, history: Sequence[Observation]) -> Verdict:
    """Judge the last `window_last` observations (oldest first); earlier ones are baseline."""
    window, baseline = rule.window(list(history))
    t = rule.trigger
    if isinstance(t, Fixed):
        n = len(window)
        mean = sum(o.value for o in window) / n if n else 0.0
        hit = n >= t.min_events and (
            (t.below is not None and mean < t.below) or (t.above is not None and mean > t.above)
        )
        return Verdict(
            hit,
            sum(1 for o in window if t.below is not None and o.value < t.below),
            n,
            f"mean {mean:.1f} over {n}",
        )
    if not isinstance(t, Statistical):
        return Verdict(False, 0, len(window), "not a window rule")
    assert rule.failure is not None
    x, n = sum(failed(o, rule.failure) for o in window), len(window)
    if n < t.min_events:
        return Verdict(False, x, n, f"{n} events, fewer than {t.min_events}")
    if t.method == "wilson":
        low, high = wilson(x, n, t.confidence)
        return Verdict(
            low > t.max_rate,
            x,
            n,
            f"{x}/{n} failed; {round(t.confidence * 100)}% interval "
            f"{low:.2f}-{high:.2f} vs target {t.max_rate:.2f}",
        )
    if len(baseline) < t.min_baseline:
        return Verdict(False, x, n, f"baseline of {len(baseline)} too small")
    base_rate = sum(failed(o, rule.failure) for o in baseline) / len(baseline)
    limits = p_chart(base_rate, n, t.sigmas)
    return Verdict(
        x / n > limits.upper,
        x,
        n,
        f"{x}/{n} failed vs baseline {base_rate:.2f} (UCL {limits.upper:.2f})",
    )


def evaluate_team(
    rule: Rule, rules: RuleSet, team_id: str, histories: Mapping[str, Sequence[Observation]]
) -> list[ActionRaised]:
    """All of one team's agents for one rule → actions (improvement xor coaching)."""
    verdicts = {a: judge(rule, h) for a, h in histories.items() if h}
    considered = {a: v for a, v in verdicts.items() if v.n >= _min_events(rule)}
    breaching = sorted(a for a, v in considered.items() if v.breached)
    if not breaching:
        return []
    attribution = rule.attribution
    if (
        attribution is not None
        and len(considered) >= attribution.min_agents
        and (len(breaching) / len(considered) >= attribution.systemic_share)
    ):
        return [_improvement(rule, rules, team_id, histories, considered, breaching)]
    actions = []
    for agent in breaching:
        window, _ = rule.window(list(histories[agent]))
        v = considered[agent]
        if attribution is not None:
            if not _peers_caught_up(histories, agent, considered, attribution.min_agents - 1):
                continue  # judged when peers' events up to the same time have arrived
            peers = [p for p in considered if p != agent]
            px = sum(considered[p].failures for p in peers)
            pn = sum(considered[p].n for p in peers)
            z, p_two = two_proportion_z(v.failures, v.n, px, pn)
            if not (z > 0 and p_two / 2 < 1 - attribution.outlier_confidence):
                continue  # in line with peers: not this agent's gap
            if _peers_off_target(rule, px, pn) or _peers_slipping(rule, histories, peers):
                continue  # peers slipping too: likelier shared; the team judgment decides
        actions.append(
            coaching_action(
                rule,
                rules,
                window,
                v.rate,
                _threshold(rule),
                _trigger(rule),
                f"{_label(rule)}: {v.detail}",
            )
        )
    return actions


PEER_LAG = timedelta(hours=1)


def _peers_caught_up(
    histories: Mapping[str, Sequence[Observation]],
    agent: str,
    considered: Iterable[str],
    needed: int,
) -> bool:
    """Enough peers have observations up to (an hour before) the agent's latest: partitions
    are consumed at their own pace, and comparing an agent's afternoon with peers' morning
    would single out whoever's events arrived first."""
    last = histories[agent][-1].at
    return (
        sum(1 for p in considered if p != agent and histories[p][-1].at >= last - PEER_LAG)
        >= needed
    )


def _peers_off_target(rule: Rule, failures: int, n: int) -> bool:
    """Peers failing above the rule's limit themselves: coaching one agent would blame a person
    for what is probably a shared cause still spreading through the team."""
    t = rule.trigger
    return (
        isinstance(t, Statistical) and t.method == "wilson" and n > 0 and failures / n > t.max_rate
    )


def _peers_slipping(
    rule: Rule, histories: Mapping[str, Sequence[Observation]], peers: Sequence[str]
) -> bool:
    """Peers' recent windows significantly worse than their own earlier record (one-sided
    two-proportion z-test): a change under way in the team, not one agent's gap."""
    assert rule.failure is not None and rule.attribution is not None
    rx = rn = bx = bn = 0
    for p in peers:
        window, baseline = rule.window(list(histories[p]))
        rx += sum(failed(o, rule.failure) for o in window)
        rn += len(window)
        bx += sum(failed(o, rule.failure) for o in baseline)
        bn += len(baseline)
    if bn < _min_events(rule) or rn == 0:
        return False
    z, p_two = two_proportion_z(rx, rn, bx, bn)
    return z > 0 and p_two / 2 < 1 - rule.attribution.outlier_confidence


def _min_events(rule: Rule) -> int:
    t = rule.trigger
    return t.min_events if isinstance(t, Fixed | Statistical) else 1


def _threshold(rule: Rule) -> float:
    t = rule.trigger
    if isinstance(t, Statistical):
        return t.max_rate
    if isinstance(t, Fixed):
        return t.below if t.below is not None else (t.above or 0.0)
    return 0.0


def _trigger(rule: Rule) -> TriggerKind:
    return TriggerKind.STATISTICAL if isinstance(rule.trigger, Statistical) else TriggerKind.FIXED


def _label(rule: Rule) -> str:
    f = rule.failure
    if f is not None and f.criterion:
        return f"criterion {f.criterion}"
    return rule.metric


def _improvement(
    rule: Rule,
    rules: RuleSet,
    team_id: str,
    histories: Mapping[str, Sequence[Observation]],
    considered: Mapping[str, Verdict],
    breaching: Sequence[str],
) -> ActionRaised:
    windows = [o for a in breaching for o in rule.window(list(histories[a]))[0]]
    last = max(windows, key=lambda o: (o.at, o.event_id))
    failures = sum(considered[a].failures for a in breaching)
    n = sum(considered[a].n for a in breaching)
    label = _label(rule)
    summary = (
        f"{label} failing for {len(breaching)} of {len(considered)} agents in team "
        f"{team_id} ({failures}/{n} recent evaluations): a shared cause is likely"
    )
    return ActionRaised(
        action_id=derived_event_id("action", rule.id, "team", team_id, last.event_id),
        kind=ActionKind.IMPROVEMENT,
        rule_id=rule.id,
        rule_version=rules.version,
        trigger=_trigger(rule),
        scope=Scope(type=ScopeType.TEAM, id=team_id),
        team_id=team_id,
        metric=rule.metric,
        observed=round(failures / n, 4) if n else 0.0,
        threshold=_threshold(rule),
        window_size=n,
        summary=summary,
        evidence=tuple(dict.fromkeys(o.evidence_id for o in windows))[-20:],
        root_cause=(
            f"Suspected systemic cause for {label}: unclear or changed procedure, "
            "guidance, tooling or resourcing affecting the whole team"
        ),
        plan=(
            f"Plan: review the procedure and guidance behind {label} with the team leader "
            "and QA; check scripts, tools and staffing; re-brief the team. Do: apply the fix. "
            "Check: monitor the pass rate over the next weeks. Act: standardise or revise."
        ),
        resources="Team leader, QA analyst, process owner; one team briefing session",
        owner=f"team-leader:{team_id}",
        due_at=last.at + timedelta(days=rule.due_in_days),
        raised_at=last.at,
    )


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
    label = _label(rule)
    return ActionRaised(
        action_id=derived_event_id("action", rule.id, rule.scope.value, scope_id, last.event_id),
        kind=ActionKind.IMPROVEMENT,
        rule_id=rule.id,
        rule_version=rules.version,
        trigger=_trigger(rule),
        scope=scope,
        team_id=last.team_id if rule.scope is ScopeType.TEAM else None,
        metric=rule.metric,
        observed=round(verdict.rate, 4),
        threshold=_threshold(rule),
        window_size=verdict.n,
        summary=f"{label} in {rule.scope.value} {scope_id}: {verdict.detail}",
        evidence=tuple(dict.fromkeys(o.evidence_id for o in window))[-20:],
        root_cause=f"To establish: what makes {label} miss target across {rule.scope.value} "
        f"{scope_id} (process, staffing, tooling, guidance)",
        plan=f"Plan: analyse the evidence contacts for {label}; agree a fix with the process "
        "owner. Do: apply it. Check: the metric over the next window. Act: standardise.",
        resources="Operations manager, process owner, QA analyst",
        owner="operations-manager",
        due_at=last.at + timedelta(days=rule.due_in_days),
        raised_at=last.at,
    )
