"""The one pure `decide`: what a batch needs loaded, and every rule kind dispatched from plain
data (immediate, fixed agent windows, team attribution, team- and queue-scoped rules, complaint
spikes). Properties: a clean stream raises nothing, only scopes the batch touched get actions,
histories nobody asked for change nothing, and the same input decides the same."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.actions import ActionKind, AlertRaised, ScopeType, TriggerKind
from services.actions.alerting.domain.alerts import spike_alert
from services.actions.domain.engine import Histories, Need, decide, need, needs
from services.actions.domain.observation import Observation
from services.actions.domain.rules import Failure, Rule, RuleSet, Statistical
from services.actions.rules_file import load_rules
from services.actions.settings import DEFAULT_RULES
from tests.factories import T0
from tests.fakes_actions import histories

DEFAULTS = load_rules(DEFAULT_RULES)
SCOPED = tuple(
    Rule(
        id=f"{scope.value}-summary",
        kind=ActionKind.IMPROVEMENT,
        scope=scope,
        metric="auto_qa_score",
        window_last=20,
        trigger=Statistical(type="statistical", max_rate=0.3, min_events=10),
        failure=Failure(criterion="summary"),
        cooldown_days=3,
    )
    for scope in (ScopeType.TEAM, ScopeType.QUEUE)
)
RULES = RuleSet(rules=DEFAULTS.rules + SCOPED, version="test")
AGENTS = {f"a{n}": f"t{n % 2}" for n in range(6)}  # agent -> team


def ob(
    n: int,
    agent: str = "a0",
    metric: str = "auto_qa_score",
    value: float = 95,
    summary_failed: bool = False,
    critical: bool = False,
    queue: str = "q0",
) -> Observation:
    return Observation(
        f"e{n}-{agent}",
        metric,
        agent,
        AGENTS[agent],
        queue,
        T0 + timedelta(minutes=n),
        value,
        critical,
        f"int-{n}-{agent}",
        passed=() if summary_failed else ("summary",),
        failed=("summary",) if summary_failed else (),
    )


def decided(
    database: list[Observation], batch: list[Observation], opened: Sequence[AlertRaised] = ()
) -> set[tuple[str, str, str, str]]:
    """(rule, kind, scope type, scope id) decided for `batch` over a store holding `database`."""
    loaded = histories(database + batch, needs(RULES, batch))
    return {
        (d.action.rule_id, d.action.kind.value, d.action.scope.type.value, d.action.scope.id)
        for d in decide(RULES, batch, loaded, opened)
    }


def test_needs_name_the_scopes_with_new_observations_and_how_deep() -> None:
    batch = [ob(1, "a0"), ob(2, "a3", queue="q1"), ob(3, "a1", metric="qa_score", value=50)]
    by_rule = {r.id: need(r, batch) for r in RULES.rules}
    assert by_rule["critical-breach"] is None  # immediate: the new observations suffice
    assert by_rule["csat-pattern"] is None  # no csat in the batch
    assert by_rule["agent-qa-below-target"] == Need("qa_score", "agent_id", ("a1",), 10)
    # attributed: each agent's window plus the previous one (is the team itself changing?)
    assert by_rule["summary-missing-pattern"] == Need(
        "auto_qa_score", "team_id", ("t0", "t1"), 40, per_agent=True
    )
    assert by_rule["team-summary"] == Need("auto_qa_score", "team_id", ("t0", "t1"), 20)
    assert by_rule["queue-summary"] == Need("auto_qa_score", "queue", ("q0", "q1"), 20)
    assert len(needs(RULES, batch)) == len({n for n in by_rule.values() if n})


def test_nothing_new_decides_nothing() -> None:
    assert decide(RULES, [], Histories()) == []


def test_every_rule_kind_is_dispatched() -> None:
    history = [
        ob(n, a, summary_failed=n % 4 != 0, queue="q0")
        for a in ("a0", "a2", "a4")  # team t0 on queue q0: a team-wide pattern
        for n in range(20)
    ]
    low_qa = [ob(n, "a1", metric="qa_score", value=60) for n in range(10)]
    batch = [ob(30, "a0", summary_failed=True), ob(31, "a3", critical=True, queue="q1"), low_qa[-1]]
    spike = spike_alert("billing-error", T0, 12, 1.0)
    found = decided(history + low_qa[:-1], batch, opened=[spike])
    assert found == {
        ("complaint-spike", "improvement", "complaint_category", "billing-error"),
        ("critical-breach", "coaching", "agent", "a3"),
        ("agent-qa-below-target", "coaching", "agent", "a1"),
        ("summary-missing-pattern", "improvement", "team", "t0"),  # nobody coached for it
        ("team-summary", "improvement", "team", "t0"),
        ("queue-summary", "improvement", "queue", "q0"),
    }


def test_decisions_carry_their_rules_cooldown_in_order() -> None:
    spike = spike_alert("billing-error", T0, 12, 1.0)
    batch = [ob(1, "a0", critical=True)]
    out = decide(RULES, batch, histories(batch, needs(RULES, batch)), opened=[spike])
    assert [(d.action.rule_id, d.cooldown_days) for d in out] == [
        ("complaint-spike", 0.0),  # built in: no rule, no cooldown
        ("critical-breach", 7.0),
    ]
    assert out[1].action.trigger is TriggerKind.IMMEDIATE


observations = st.builds(
    ob,
    n=st.integers(0, 200),
    agent=st.sampled_from(sorted(AGENTS)),
    metric=st.sampled_from(["auto_qa_score", "qa_score", "fcr"]),
    value=st.floats(0, 100),
    summary_failed=st.booleans(),
    critical=st.booleans(),
    queue=st.sampled_from(["q0", "q1"]),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(observations, max_size=150), st.lists(observations, min_size=1, max_size=40))
def test_only_scopes_the_batch_touched_get_actions(
    database: list[Observation], batch: list[Observation]
) -> None:
    loaded = histories(database + batch, needs(RULES, batch))
    out = decide(RULES, batch, loaded)
    assert out == decide(RULES, batch, loaded)  # deterministic: a replay decides the same
    rules = {r.id: r for r in RULES.rules}
    for d in out:
        a, rule = d.action, rules[d.action.rule_id]
        assert d.cooldown_days == rule.cooldown_days
        touched = [o for o in batch if o.metric == rule.metric]
        if a.scope.type is ScopeType.AGENT:
            # coached directly, or judged with a team that received new observations
            assert a.scope.id in {o.agent_id for o in touched} or a.team_id in {
                o.team_id for o in touched
            }
        else:
            column = "queue" if a.scope.type is ScopeType.QUEUE else "team_id"
            assert a.scope.id in {getattr(o, column) for o in touched}
    unasked = Need("auto_qa_score", "team_id", ("t0", "t1"), 3)  # no rule needs this one
    noisy = Histories(
        {**loaded.by_scope, unasked: {"t0": [ob(1, "a0", summary_failed=True)] * 30}},
        loaded.by_team,
    )
    assert decide(RULES, batch, noisy) == out


clean = st.builds(
    ob,
    n=st.integers(0, 200),
    agent=st.sampled_from(sorted(AGENTS)),
    metric=st.sampled_from(["auto_qa_score", "qa_score"]),
    value=st.floats(80, 100),
    queue=st.sampled_from(["q0", "q1"]),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(clean, max_size=150), st.lists(clean, min_size=1, max_size=40))
def test_a_clean_stream_raises_nothing(
    database: list[Observation], batch: list[Observation]
) -> None:
    assert decided(database, batch) == set()
