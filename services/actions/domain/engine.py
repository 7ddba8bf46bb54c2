"""The rule engine: which histories a batch needs, and one `decide` from observations and
those histories to the actions to raise. Every rule kind is dispatched here. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from contracts.actions import ActionRaised, AlertRaised, ScopeType
from services.actions.domain.attribution import evaluate_team
from services.actions.domain.coaching import immediate, windowed
from services.actions.domain.improvement import evaluate_scope, spike_action
from services.actions.domain.observation import Observation
from services.actions.domain.rules import Fixed, Rule, RuleSet, Statistical

Column = Literal["agent_id", "team_id", "queue"]
# How a rule is judged: its scope's own window (team/queue rules), each team as a whole
# (statistical or attributed agent rules), or each agent's window (fixed agent rules).
Shape = Literal["scope", "team", "agent"]
TIME_WINDOW_DEPTH = 2000  # observations loaded for a `window_hours` rule


@dataclass(frozen=True, slots=True)
class Need:
    """One history to load: the last `depth` observations of `metric` for each of `ids` in
    `column`, oldest first; with `per_agent`, each agent's own within each team."""

    metric: str
    column: Column
    ids: tuple[str, ...]
    depth: int
    per_agent: bool = False


Flat = Mapping[str, Sequence[Observation]]


@dataclass(frozen=True, slots=True)
class Histories:
    """What the edge loaded for each `Need`: by scope id, or by team then agent (`per_agent`)."""

    by_scope: Mapping[Need, Flat] = field(default_factory=dict)
    by_team: Mapping[Need, Mapping[str, Flat]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Decision:
    """An action to raise unless one is open for its rule and scope, or one closed less than
    `cooldown_days` ago (the store checks both when saving)."""

    action: ActionRaised
    cooldown_days: float


def shape(rule: Rule) -> Shape | None:
    if rule.scope in (ScopeType.TEAM, ScopeType.QUEUE):
        return "scope"
    if isinstance(rule.trigger, Statistical) or rule.attribution is not None:
        return "team"
    if isinstance(rule.trigger, Fixed):
        return "agent"
    return None  # immediate: judged on the new observations alone


def depth(rule: Rule) -> int:
    n = TIME_WINDOW_DEPTH if rule.window_hours is not None else rule.window_last
    if rule.attribution is not None:
        n += rule.window_last  # peers' previous window: is the team itself changing?
    if isinstance(rule.trigger, Statistical) and rule.trigger.method == "p_chart":
        n += rule.trigger.baseline_last
    return n


def need(rule: Rule, observations: Sequence[Observation]) -> Need | None:
    """The history a window rule reads for the scopes that received new observations."""
    kind = shape(rule)
    if kind is None:
        return None
    column: Column = "agent_id" if kind == "agent" else "team_id"
    if kind == "scope" and rule.scope is ScopeType.QUEUE:
        column = "queue"
    ids = sorted({v for o in observations if o.metric == rule.metric and (v := getattr(o, column))})
    if not ids:
        return None
    return Need(rule.metric, column, tuple(ids), depth(rule), per_agent=kind == "team")


def needs(rules: RuleSet, observations: Sequence[Observation]) -> list[Need]:
    """Every history `decide` will read (each once), in rule order."""
    return list(dict.fromkeys(n for r in rules.rules if (n := need(r, observations))))


def decide(
    rules: RuleSet,
    observations: Sequence[Observation],
    histories: Histories,
    opened: Sequence[AlertRaised] = (),
) -> list[Decision]:
    """The actions a batch calls for, in order: a root-cause action for each complaint spike
    among the alerts the batch `opened`, immediate breaches, then each window rule over the
    loaded histories (which already hold the batch's observations). Timed by the observations,
    never by the clock, so a replay decides the same."""
    actions = [spike_action(a, rules.version) for a in opened if a.kind == "complaint_spike"]
    actions += immediate(rules, observations)
    for rule in rules.rules:
        n = need(rule, observations)
        if n is not None:
            actions += _judge(rule, rules, n, histories)
    cooldowns = {r.id: r.cooldown_days for r in rules.rules}
    return [Decision(a, float(cooldowns.get(a.rule_id, 0.0))) for a in actions]


def _judge(rule: Rule, rules: RuleSet, n: Need, histories: Histories) -> list[ActionRaised]:
    kind = shape(rule)
    if kind == "team":
        teams = histories.by_team.get(n, {})
        return [
            a for team, agents in teams.items() for a in evaluate_team(rule, rules, team, agents)
        ]
    scopes = histories.by_scope.get(n, {})
    if kind == "scope":
        found = (evaluate_scope(rule, rules, sid, h) for sid, h in scopes.items())
    else:
        found = (windowed(rule, rules, h) for h in scopes.values())
    return [a for a in found if a is not None]
