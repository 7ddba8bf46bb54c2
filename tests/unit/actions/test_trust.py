"""Actions reads QA results through the AutoQA trust gate: an automated answer marked
`verified: false` is neither a pass nor a failure, breaches nothing, and drops out of the
score exactly as if it were N/A (checked against scoring's own scorer on generated answers);
`verified: None` (older events, human evaluations) and `True` count as before. Through the
batch orchestration: no coaching, no improvement action, no critical-breach alert from an
unverified criterion."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts import topics
from contracts.events import AutoQaGateChangedEvent, scored_adapter
from contracts.gates import GateState
from runtime.consumer import decode_batch
from services.actions.alerting.domain.tally import tally
from services.actions.domain.observation import observe
from services.actions.domain.trust import trusted
from services.actions.handlers import apply_events
from services.actions.rules_file import load_rules
from services.actions.settings import DEFAULT_RULES, ActionsSettings
from services.scoring.domain.evaluation import ScoringError
from tests.factories import T0
from tests.fakes_actions import FakeStore
from tests.gate_events import (
    ALL_MET,
    AUTOMATED,
    SCORECARD,
    auto_qa,
    gate_change,
    gated_interaction,
    record_of,
)

RULES = load_rules(DEFAULT_RULES)
SETTINGS = ActionsSettings()
TRUSTED, UNVERIFIED = GateState.TRUSTED, GateState.UNVERIFIED
NO_ID = ALL_MET | {"identity-verification": "no"}  # a critical (evaluation-level) failure


def answer(criterion: Any) -> st.SearchStrategy[Any]:
    if criterion.kind == "scale":
        return st.one_of(st.just("na"), st.integers(0, criterion.scale_max))
    return st.sampled_from(["yes", "no", "na"])


answers = st.fixed_dictionaries(
    {c.id: answer(c) for s in SCORECARD.sections for c in s.criteria}
).filter(lambda a: any(v != "na" for v in a.values()))


@settings(max_examples=300, deadline=None)
@given(answers, st.sets(st.sampled_from([c.id for s in SCORECARD.sections for c in s.criteria])))
def test_unverified_answers_drop_out_as_if_na(given_: dict[str, Any], gated: set[str]) -> None:
    qa = auto_qa(given_)
    marked = qa.model_copy(
        update={
            "criteria": tuple(
                c.model_copy(update={"verified": False if c.criterion_id in gated else None})
                for c in qa.criteria
            )
        }
    )
    seen = trusted(marked)
    kept = {c: a for c, a in given_.items() if c not in gated}
    try:
        ref = auto_qa(kept)
    except ScoringError:  # nothing applicable is left
        assert seen.score is None and not seen.critical_failed
        return
    assert seen.score == pytest.approx(ref.score, abs=1e-3)
    assert seen.critical_failed == ref.critical_failed
    assert seen.passed == tuple(c.criterion_id for c in ref.criteria if c.passed is True)
    assert seen.failed == tuple(c.criterion_id for c in ref.criteria if c.passed is False)
    if not gated & set(given_):
        assert (seen.score, seen.critical_failed) == (qa.score, qa.critical_failed)


def test_ungated_results_are_read_as_before() -> None:
    qa = auto_qa(NO_ID)
    seen = trusted(qa)
    assert (seen.score, seen.critical_failed, seen.unverified) == (0.0, True, ())
    assert seen.failed == ("identity-verification",)


def test_an_unverified_critical_failure_breaches_nothing() -> None:
    for states, breach in (
        ({"identity-verification": UNVERIFIED}, False),
        ({"identity-verification": TRUSTED}, True),
        (None, True),  # an event from before the gate
    ):
        e = gated_interaction(NO_ID, {c: TRUSTED for c in AUTOMATED} | (states or {}))
        if states is None:
            e = gated_interaction(NO_ID)
        (o, *_) = observe(e)
        assert o.metric == "auto_qa_score" and o.critical_failed is breach
        assert ("identity-verification" in o.failed) is breach
        assert len(tally([e]).critical) == breach
        if not breach:  # the rest still counts: every other criterion met
            assert o.value == 100.0 and "greeting" in o.passed


def test_every_answer_unverified_leaves_no_automated_observation() -> None:
    e = gated_interaction(NO_ID, dict.fromkeys(AUTOMATED, UNVERIFIED))
    assert [o.metric for o in observe(e)] == ["fcr", "aht"]


async def test_unverified_criterion_raises_no_coaching_and_no_alert() -> None:
    store = FakeStore()
    gated = {"identity-verification": UNVERIFIED}
    batch = [gated_interaction(NO_ID, gated, agent=f"a{n}") for n in range(5)]
    assert await apply_events(store, batch, RULES, SETTINGS) == 0
    assert not store.actions.rows and not store.alerts.incidents
    assert not store.outbox.events(topics.ALERTS.name)
    # The same failures from a verified criterion raise, as they always did.
    verified = [
        gated_interaction(NO_ID, {"identity-verification": TRUSTED}, agent=f"b{n}")
        for n in range(2)
    ]
    assert await apply_events(store, verified, RULES, SETTINGS) == 2
    assert {a["rule_id"] for a in store.actions.rows.values()} == {"critical-breach"}
    assert len(store.outbox.events(topics.ALERTS.name)) == 2


async def test_unverified_summary_makes_no_team_pattern() -> None:
    """4 agents missing the summary 3 times in 4 would be a team-wide pattern."""

    def team(states: dict[str, GateState] | None, name: str) -> list[object]:
        return [
            gated_interaction(
                ALL_MET | {"summary": "yes" if n % 4 == 0 else "no"},
                states,
                agent=f"{name}-a{a}",
                team=name,
                offered=T0 + timedelta(minutes=n),
            )
            for a in range(4)
            for n in range(20)
        ]

    store = FakeStore()
    assert await apply_events(store, team({"summary": UNVERIFIED}, "t-gated"), RULES, SETTINGS) == 0
    assert await apply_events(store, team(None, "t-before"), RULES, SETTINGS) == 1
    (action,) = store.actions.rows.values()
    assert (action["rule_id"], action["scope_id"]) == ("summary-missing-pattern", "t-before")


async def test_gate_changes_on_the_topic_are_read_and_change_nothing() -> None:
    """A valid new event type on ql.scores: decoded (not dead-lettered), claimed, ignored."""
    change = gate_change("identity-verification", "ab" * 10)
    claimables, dead = decode_batch([record_of(change, "ql.scores", 0)], scored_adapter, "a")
    assert dead == [] and isinstance(claimables[0].item, AutoQaGateChangedEvent)
    store = FakeStore()
    assert await apply_events(store, [claimables[0].item], RULES, SETTINGS) == 0
    assert not store.actions.rows and not store.alerts.incidents and not store.outbox.rows
