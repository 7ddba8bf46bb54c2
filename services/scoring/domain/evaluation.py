"""Scorecard scoring: answers → weighted QA score 0-100 with section and criterion results.

Rules (the practice's, made exact):
- a criterion's points: yes = weight, no = 0, scale = weight x answer / scale_max;
- N/A drops the criterion from numerator and denominator (only where N/A is allowed);
  a section whose criteria are all N/A drops out and the section weights renormalise;
- bonus criteria add points but never count in the denominator; a section caps at 100;
- a critical "no" scores its section 0 (critical: section) or the whole evaluation 0
  (critical: evaluation), and marks the result critical_failed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from contracts.evaluations import Answer, CriterionAnswer
from contracts.scores import CriterionResult, Evidence, QaResult, SectionResult
from services.scoring.domain.standards import Criterion, Scorecard


class ScoringError(ValueError):
    """Answers that do not fit the scorecard (unknown criterion, N/A not allowed, ...)."""


def _points(c: Criterion, answer: Answer) -> tuple[float, float]:
    if answer == "na":
        if not c.na_allowed:
            raise ScoringError(f"criterion {c.id!r} does not allow N/A")
        return 0.0, 0.0
    if c.kind == "yes_no":
        if answer not in ("yes", "no"):
            raise ScoringError(f"criterion {c.id!r} takes yes, no or na, not {answer!r}")
        return (c.weight if answer == "yes" else 0.0), c.weight
    if not isinstance(answer, int) or isinstance(answer, bool):
        raise ScoringError(f"criterion {c.id!r} takes a number 0-{c.scale_max}, not {answer!r}")
    assert c.scale_max is not None
    if answer > c.scale_max:
        raise ScoringError(f"criterion {c.id!r}: {answer} is above the scale maximum {c.scale_max}")
    return c.weight * answer / c.scale_max, c.weight


def score_evaluation(
    answers: Sequence[CriterionAnswer],
    scorecard: Scorecard,
    *,
    automated: bool = False,
    evidence: Mapping[str, tuple[Evidence, ...]] | None = None,
) -> QaResult:
    given = {a.criterion_id: a.answer for a in answers}
    known = {c.id for s in scorecard.sections for c in s.criteria}
    unknown = sorted(set(given) - known)
    if unknown:
        raise ScoringError(f"unknown criteria for scorecard {scorecard.id!r}: {', '.join(unknown)}")
    evidence = evidence or {}
    criteria: list[CriterionResult] = []
    sections: list[SectionResult] = []
    evaluation_failed = False
    for section in scorecard.sections:
        earned = possible = bonus = 0.0
        section_failed = False
        for c in section.criteria:
            answer = given.get(c.id, "na")
            if c.id not in given and not c.na_allowed:
                raise ScoringError(f"criterion {c.id!r} must be answered (N/A not allowed)")
            points, max_points = _points(c, answer)
            if c.bonus:
                bonus += points
                max_points = 0.0
            else:
                earned, possible = earned + points, possible + max_points
            if answer == "no" and c.critical != "none":
                section_failed = section_failed or c.critical == "section"
                evaluation_failed = evaluation_failed or c.critical == "evaluation"
            criteria.append(
                CriterionResult(
                    criterion_id=c.id,
                    section_id=section.id,
                    answer=answer,
                    points=points,
                    max_points=max_points,
                    critical=c.critical != "none",
                    bonus=c.bonus,
                    automated=automated,
                    evidence=evidence.get(c.id, ()),
                )
            )
        score = None if possible == 0 else min(100.0, 100.0 * (earned + bonus) / possible)
        if section_failed and score is not None:
            score = 0.0
        sections.append(
            SectionResult(
                section_id=section.id,
                weight=section.weight,
                score=score,
                critical_failed=section_failed,
            )
        )
    scored = [s for s in sections if s.score is not None]
    if not scored:
        raise ScoringError("no criterion of the scorecard was applicable")
    total = sum(s.weight * (s.score or 0.0) for s in scored) / sum(s.weight for s in scored)
    return QaResult(
        scorecard_id=scorecard.id,
        scorecard_version=scorecard.version,
        score=0.0 if evaluation_failed else round(total, 4),
        critical_failed=evaluation_failed or any(s.critical_failed for s in sections),
        automated=automated,
        sections=tuple(sections),
        criteria=tuple(criteria),
    )
