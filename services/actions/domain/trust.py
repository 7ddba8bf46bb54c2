"""The AutoQA trust gate as rules see it. Pure.

An automated answer marked `verified: false` (its criterion's agreement with human evaluators
is below the bar scoring applies) is shown where the event is shown, but counts for no rule
and no alert: it is neither a pass nor a failure, its criterion is treated as N/A in the
score (weights renormalise), and a critical "no" from it zeroes nothing and breaches nothing.
`verified: None` (human evaluations, events from before the gate) counts as it always did.
"""

from __future__ import annotations

from dataclasses import dataclass

from contracts.scores import CriterionResult, QaResult


@dataclass(frozen=True, slots=True)
class Trusted:
    """What of a QA result may feed rules: None for the score when no criterion is left."""

    score: float | None
    critical_failed: bool
    passed: tuple[str, ...]
    failed: tuple[str, ...]
    unverified: tuple[str, ...]


def trusted(qa: QaResult) -> Trusted:
    gated = {c.criterion_id for c in qa.criteria if c.verified is False}
    kept = [c for c in qa.criteria if c.criterion_id not in gated]
    passed = tuple(c.criterion_id for c in kept if c.passed is True)
    failed = tuple(c.criterion_id for c in kept if c.passed is False)
    if not gated:
        return Trusted(qa.score, qa.critical_failed, passed, failed, ())
    breaches = [c for c in kept if c.critical and c.answer == "no"]
    return Trusted(_score(qa, kept, breaches), bool(breaches), passed, failed, tuple(sorted(gated)))


def _score(
    qa: QaResult, kept: list[CriterionResult], breaches: list[CriterionResult]
) -> float | None:
    """The weighted score over the kept criteria, as scoring computes it. A kept critical
    "no" zeroes its section when scoring zeroed that section; one in a section scoring did
    not zero can only be an evaluation-level criterion, which zeroes the whole score."""
    zeroed = {s.section_id for s in qa.sections if s.critical_failed}
    if any(c.section_id not in zeroed for c in breaches):
        return 0.0
    breached = {c.section_id for c in breaches}
    weighted = total_weight = 0.0
    for s in qa.sections:
        mine = [c for c in kept if c.section_id == s.section_id and c.answer != "na"]
        possible = sum(c.max_points for c in mine if not c.bonus)
        if possible == 0:
            continue  # every kept criterion N/A: the section drops out
        earned = sum(c.points for c in mine)  # bonus points add, never in the denominator
        score = 0.0 if s.section_id in breached else min(100.0, 100.0 * earned / possible)
        weighted += s.weight * score
        total_weight += s.weight
    return round(weighted / total_weight, 4) if total_weight else None
