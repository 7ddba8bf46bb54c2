"""Survey measures: CSAT top-two-box, NPS categories and score."""

from __future__ import annotations

from collections.abc import Iterable

from contracts.scores import NpsCategory


def csat_top2(csat: int | None) -> bool | None:
    """CSAT counts responses of 4 or 5 on the 1-5 scale as satisfied."""
    return None if csat is None else csat >= 4


def nps_category(nps: int | None) -> NpsCategory | None:
    if nps is None:
        return None
    if nps >= 9:
        return NpsCategory.PROMOTER
    return NpsCategory.PASSIVE if nps >= 7 else NpsCategory.DETRACTOR


def nps(scores: Iterable[int]) -> float:
    """Net Promoter Score: % promoters (9-10) minus % detractors (0-6), -100..100."""
    values = list(scores)
    if not values:
        raise ValueError("NPS of no responses")
    promoters = sum(1 for s in values if s >= 9)
    detractors = sum(1 for s in values if s <= 6)
    return 100.0 * (promoters - detractors) / len(values)
