"""The AutoQA trust gate's decisions: the window (latest pairs within the days), the rule
(kappa's lower bound against the bar, a minimum of pairs), changes as events (deterministic
ids, only on a change of state, `since` kept while the state holds), and automated answers
stamped with their criterion's state."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.events import AutoQaGateChangedEvent
from contracts.gates import Agreement, GateState
from services.scoring.domain.agreement import Pair, agreement
from services.scoring.domain.gate import Gate, decide, effective, in_force, judge, stamp, window
from tests.factories import T0
from tests.gate_events import RULE, gated_interaction

TRUSTED, UNVERIFIED = GateState.TRUSTED, GateState.UNVERIFIED


def pairs(kinds: str, start: int = 0) -> list[Pair]:
    """`a` agree-yes, `b` agree-no, `p` false pass, `f` false fail; one minute apart."""
    cell = {"a": ("yes", "yes"), "b": ("no", "no"), "p": ("yes", "no"), "f": ("no", "yes")}
    return [
        Pair(*cell[k], T0 + timedelta(minutes=start + i))  # type: ignore[misc]
        for i, k in enumerate(kinds)
    ]


def test_window_is_the_latest_pairs_within_the_days_of_the_newest() -> None:
    old = [Pair("yes", "no", T0 - timedelta(days=100))]
    recent = pairs("ab" * 20)  # 40 pairs
    judged = window(old + recent, RULE)
    assert len(judged) == RULE.window_pairs == 30
    assert judged == sorted(recent, key=lambda p: p.at, reverse=True)[:30]
    assert window(old, RULE) == old  # the newest pair anchors the days
    assert window([], RULE) == []


def test_rule_trusts_only_a_lower_bound_at_the_bar_on_enough_pairs() -> None:
    assert judge(agreement(pairs("ab" * 10)), RULE)[0] is TRUSTED  # kappa 1 on 20 pairs
    few, why = judge(agreement(pairs("ab" * 9)), RULE)
    assert few is RULE.unmeasured and "18 paired evaluations, fewer than 20" in why
    trusting = RULE.model_copy(update={"unmeasured": TRUSTED})
    assert judge(agreement(pairs("ab" * 9)), trusting)[0] is TRUSTED
    # 16 of 20 agree: kappa .6 itself, but its lower bound is well below the bar.
    a = agreement(pairs("a" * 8 + "b" * 8 + "ppff"))
    state, why = judge(a, RULE)
    assert a.kappa is not None and abs(a.kappa - 0.6) < 1e-9
    assert state is UNVERIFIED and "< 0.6 on 20 pairs" in why
    constant, why = judge(agreement(pairs("a" * 25)), RULE)
    assert constant is UNVERIFIED and "undefined" in why
    assert judge(Agreement(pairs=0), RULE)[0] is RULE.unmeasured


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="abpf", min_size=1, max_size=60))
def test_state_is_trusted_iff_enough_pairs_and_lower_bound_at_the_bar(kinds: str) -> None:
    judged = window(pairs(kinds), RULE)
    a = agreement(judged, RULE.confidence)
    (update,) = decide({"c": pairs(kinds)}, {}, RULE, "core-qa", "/s")
    enough = a.pairs >= RULE.min_pairs
    trusted = enough and a.kappa_low is not None and a.kappa_low >= RULE.kappa_bar
    expected = (TRUSTED if trusted else UNVERIFIED) if enough else RULE.unmeasured
    assert update.gate.state is expected and update.gate.agreement == a
    assert (update.changed is not None) == (expected is not RULE.unmeasured)


def test_changes_are_events_and_a_steady_state_is_not() -> None:
    agree = pairs("ab" * 10)
    (opened,) = decide({"identity-verification": agree}, {}, RULE, "core-qa", "/scoring")
    event = opened.changed
    assert isinstance(event, AutoQaGateChangedEvent)
    assert event.type == "io.qualityloop.autoqa.gate_changed"
    assert (event.data.state, event.data.previous) == (TRUSTED, UNVERIFIED)
    assert event.data.since == agree[-1].at == event.time == opened.gate.since
    assert event.data.rule == RULE and event.data.agreement.pairs == 20
    assert event.subject == "identity-verification" and event.data.scorecard_id == "core-qa"
    again = decide({"identity-verification": agree}, {}, RULE, "core-qa", "/scoring")
    assert again[0].changed is not None and again[0].changed.id == event.id  # deterministic

    held = {"identity-verification": opened.gate}
    more = agree + pairs("ab", start=100)
    (steady,) = decide({"identity-verification": more}, held, RULE, "core-qa", "/scoring")
    assert steady.changed is None and steady.gate.since == opened.gate.since
    assert steady.gate.agreement.pairs == 22

    worse = more + pairs("ffffff", start=200)
    (closed,) = decide({"identity-verification": worse}, held, RULE, "core-qa", "/scoring")
    assert closed.changed is not None and closed.gate.state is UNVERIFIED
    assert (closed.changed.data.state, closed.changed.data.previous) == (UNVERIFIED, TRUSTED)
    assert closed.gate.since == worse[-1].at and closed.changed.id != event.id


def test_a_first_judgement_is_compared_with_what_answers_were_stamped() -> None:
    few = pairs("ab" * 3)
    (quiet,) = decide({"c": few}, {}, RULE, "core-qa", "/s")
    assert quiet.gate.state is UNVERIFIED and quiet.changed is None  # unmeasured: unverified
    trusting = RULE.model_copy(update={"unmeasured": TRUSTED})
    (closed,) = decide({"c": pairs("f" * 25)}, {}, trusting, "core-qa", "/s")
    assert closed.changed is not None and closed.changed.data.previous is TRUSTED
    assert decide({"c": []}, {}, RULE, "core-qa", "/s") == []


def test_automated_answers_are_stamped_with_their_criterion_state() -> None:
    states = {"identity-verification": UNVERIFIED, "greeting": TRUSTED}
    event = gated_interaction(states=states)
    marks = {c.criterion_id: c.verified for c in event.data.auto_qa.criteria}  # type: ignore[union-attr]
    assert marks["identity-verification"] is False and marks["greeting"] is True
    assert marks["summary"] is False  # never judged: unmeasured (unverified)
    trusting = gated_interaction(states=states, unmeasured=TRUSTED)
    assert {c.criterion_id: c.verified for c in trusting.data.auto_qa.criteria}["summary"]  # type: ignore[union-attr]
    # Nothing else about the result changes; other events pass untouched.
    plain = gated_interaction()
    assert (
        event.data.auto_qa.model_copy(  # type: ignore[union-attr]
            update={"criteria": plain.data.auto_qa.criteria}  # type: ignore[union-attr]
        )
        == plain.data.auto_qa
    )
    without = plain.model_copy(update={"data": plain.data.model_copy(update={"auto_qa": None})})
    assert stamp(without, states, TRUSTED) == without


def test_stored_gate_since_is_kept_only_while_the_state_holds() -> None:
    held = Gate("c", UNVERIFIED, T0 - timedelta(days=3), "x", Agreement(pairs=25))
    (still,) = decide({"c": pairs("f" * 25)}, {"c": held}, RULE, "core-qa", "/s")
    assert still.changed is None and still.gate.since == held.since


def test_a_gate_judged_on_too_few_pairs_is_read_under_the_rule_in_force() -> None:
    """Judged with `unmeasured: unverified` on 3 pairs, then read by a process that presumes
    trust: trusted, and a 4th pair (still too few) is no change; measured gates keep theirs."""
    few = Gate("c", UNVERIFIED, T0, "3 paired evaluations", Agreement(pairs=3))
    measured = Gate("m", UNVERIFIED, T0, "kappa", Agreement(pairs=40))
    trusting = RULE.model_copy(update={"unmeasured": TRUSTED})
    assert in_force({"c": few, "m": measured}, trusting) == {"c": TRUSTED, "m": UNVERIFIED}
    assert effective(None, trusting) is TRUSTED and effective(few, RULE) is UNVERIFIED
    (update,) = decide({"c": pairs("abab")}, {"c": few}, trusting, "core-qa", "/s")
    assert update.changed is None and update.gate.state is TRUSTED and update.gate.since == T0
