"""Impact evaluation: did the action work? The scope's metric before vs after. Pure.

Rates (share of failed observations, lower is better) use a two-proportion z-test; scores
(higher is better) use Mann-Whitney U with the rank-biserial correlation as effect size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from scipy.stats import mannwhitneyu

from contracts.actions import Verdict
from services.actions.domain.judge import failed
from services.actions.domain.observation import Observation
from services.actions.domain.rules import Failure
from services.actions.domain.stats import two_proportion_z


@dataclass(frozen=True, slots=True)
class Impact:
    test: str
    before: float | None
    after: float | None
    n_before: int
    n_after: int
    effect_size: float | None
    p_value: float | None
    verdict: Verdict


def evaluate_rate(
    before: Sequence[bool], after: Sequence[bool], *, min_n: int = 10, alpha: float = 0.05
) -> Impact:
    """`before`/`after`: one flag per observation, True = failed (lower rate is better)."""
    n1, n2 = len(before), len(after)
    if n1 < min_n or n2 < min_n:
        return Impact(
            "two_proportion_z",
            _share(before),
            _share(after),
            n1,
            n2,
            None,
            None,
            Verdict.NOT_ENOUGH_DATA,
        )
    x1, x2 = sum(before), sum(after)
    _, p = two_proportion_z(x2, n2, x1, n1)
    effect = x2 / n2 - x1 / n1
    return Impact(
        "two_proportion_z",
        x1 / n1,
        x2 / n2,
        n1,
        n2,
        round(effect, 4),
        round(p, 6),
        _verdict(p, alpha, better=effect < 0),
    )


def evaluate_scores(
    before: Sequence[float], after: Sequence[float], *, min_n: int = 10, alpha: float = 0.05
) -> Impact:
    """`before`/`after`: scores (higher is better)."""
    n1, n2 = len(before), len(after)
    mean_b = sum(before) / n1 if n1 else None
    mean_a = sum(after) / n2 if n2 else None
    if n1 < min_n or n2 < min_n:
        return Impact("mann_whitney_u", mean_b, mean_a, n1, n2, None, None, Verdict.NOT_ENOUGH_DATA)
    result = mannwhitneyu(after, before, alternative="two-sided")
    u, p = float(result.statistic), float(result.pvalue)
    effect = 2 * u / (n1 * n2) - 1  # rank-biserial: > 0 means after ranks higher
    return Impact(
        "mann_whitney_u",
        mean_b,
        mean_a,
        n1,
        n2,
        round(effect, 4),
        round(p, 6),
        _verdict(p, alpha, better=effect > 0),
    )


def _share(flags: Sequence[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def _verdict(p: float, alpha: float, *, better: bool) -> Verdict:
    if p >= alpha:
        return Verdict.NO_CHANGE
    return Verdict.IMPROVED if better else Verdict.WORSE


def impact_of(
    failure: Failure | None, observations: Sequence[Observation], done_at: datetime
) -> Impact:
    """Before vs after an action's done time: failure rates when the rule defines a failure,
    else the metric's values."""
    before = [o for o in observations if o.at < done_at]
    after = [o for o in observations if o.at >= done_at]
    if failure is not None:
        return evaluate_rate(
            [failed(o, failure) for o in before], [failed(o, failure) for o in after]
        )
    return evaluate_scores([o.value for o in before], [o.value for o in after])
