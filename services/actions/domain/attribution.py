"""Attribution: a team judged as a whole, for agent-scoped statistical (or attributed) rules.
Pure.

When at least `systemic_share` of its agents (with enough data) breach alike, one improvement
action goes to the team (suspected systemic cause) and no agent is coached for it; otherwise an
agent is coached only when their failure rate is significantly above their peers' (one-sided
two-proportion z-test) while the peers themselves stay within the limit (peers slipping too
point to a shared cause), judged only once peers' events up to the same time have arrived.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta

from contracts.actions import ActionKind, ActionRaised, Scope, ScopeType
from contracts.envelope import derived_event_id
from services.actions.domain.coaching import coaching_action
from services.actions.domain.judge import (
    Verdict,
    failed,
    judge,
    label,
    min_events,
    threshold,
    trigger_kind,
)
from services.actions.domain.observation import Observation
from services.actions.domain.rules import Rule, RuleSet, Statistical
from services.actions.domain.stats import two_proportion_z


def evaluate_team(
    rule: Rule, rules: RuleSet, team_id: str, histories: Mapping[str, Sequence[Observation]]
) -> list[ActionRaised]:
    """All of one team's agents for one rule → actions (improvement xor coaching)."""
    verdicts = {a: judge(rule, h) for a, h in histories.items() if h}
    considered = {a: v for a, v in verdicts.items() if v.n >= min_events(rule)}
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
                threshold(rule),
                trigger_kind(rule),
                f"{label(rule)}: {v.detail}",
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
    if bn < min_events(rule) or rn == 0:
        return False
    z, p_two = two_proportion_z(rx, rn, bx, bn)
    return z > 0 and p_two / 2 < 1 - rule.attribution.outlier_confidence


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
    what = label(rule)
    summary = (
        f"{what} failing for {len(breaching)} of {len(considered)} agents in team "
        f"{team_id} ({failures}/{n} recent evaluations): a shared cause is likely"
    )
    return ActionRaised(
        action_id=derived_event_id("action", rule.id, "team", team_id, last.event_id),
        kind=ActionKind.IMPROVEMENT,
        rule_id=rule.id,
        rule_version=rules.version,
        trigger=trigger_kind(rule),
        scope=Scope(type=ScopeType.TEAM, id=team_id),
        team_id=team_id,
        metric=rule.metric,
        observed=round(failures / n, 4) if n else 0.0,
        threshold=threshold(rule),
        window_size=n,
        summary=summary,
        evidence=tuple(dict.fromkeys(o.evidence_id for o in windows))[-20:],
        root_cause=(
            f"Suspected systemic cause for {what}: unclear or changed procedure, "
            "guidance, tooling or resourcing affecting the whole team"
        ),
        plan=(
            f"Plan: review the procedure and guidance behind {what} with the team leader "
            "and QA; check scripts, tools and staffing; re-brief the team. Do: apply the fix. "
            "Check: monitor the pass rate over the next weeks. Act: standardise or revise."
        ),
        resources="Team leader, QA analyst, process owner; one team briefing session",
        owner=f"team-leader:{team_id}",
        due_at=last.at + timedelta(days=rule.due_in_days),
        raised_at=last.at,
    )
