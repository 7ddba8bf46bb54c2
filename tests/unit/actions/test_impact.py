"""Before/after impact evaluation on known synthetic effects."""

from __future__ import annotations

import random

import pytest

from contracts.actions import ActionStatus as S
from contracts.actions import Verdict
from services.actions.domain.impact import evaluate_rate, evaluate_scores
from services.actions.domain.lifecycle import TransitionError, check


def test_rate_drop_is_improved_and_rise_is_worse() -> None:
    before = [n % 2 == 0 for n in range(60)]  # 50 % failed
    after = [n % 10 == 0 for n in range(60)]  # 10 % failed
    impact = evaluate_rate(before, after)
    assert impact.verdict is Verdict.IMPROVED and impact.p_value < 0.001
    assert impact.effect_size == pytest.approx(-0.4)
    assert evaluate_rate(after, before).verdict is Verdict.WORSE


def test_scores_with_a_known_shift() -> None:
    rng = random.Random(1)
    before = [rng.gauss(70, 8) for _ in range(40)]
    after = [rng.gauss(82, 8) for _ in range(40)]
    impact = evaluate_scores(before, after)
    assert impact.verdict is Verdict.IMPROVED and impact.effect_size > 0.5
    assert impact.test == "mann_whitney_u"


def test_no_change_and_not_enough_data() -> None:
    rng = random.Random(2)
    same = [rng.gauss(75, 8) for _ in range(40)]
    assert evaluate_scores(same[:20], same[20:]).verdict is Verdict.NO_CHANGE
    assert evaluate_rate([True] * 3, [False] * 30).verdict is Verdict.NOT_ENOUGH_DATA


@pytest.mark.parametrize(
    ("current", "target", "reason", "ok"),
    [
        (S.RAISED, S.ACKNOWLEDGED, None, True),
        (S.ACKNOWLEDGED, S.IN_PROGRESS, None, True),
        (S.IN_PROGRESS, S.DONE, None, True),
        (S.RAISED, S.CANCELLED, "duplicate of another action", True),
        (S.RAISED, S.CANCELLED, " ", False),
        (S.DONE, S.EVALUATED, None, False),  # only the impact evaluation does that
        (S.CANCELLED, S.RAISED, None, False),
        (S.RAISED, S.DONE, None, False),
    ],
)
def test_lifecycle_transitions(current: S, target: S, reason: str | None, ok: bool) -> None:
    if ok:
        check(current, target, reason)
    else:
        with pytest.raises(TransitionError):
            check(current, target, reason)
