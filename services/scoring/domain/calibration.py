"""Calibration: several evaluators score the same interaction; how far do they agree?

- Krippendorff's alpha (nominal) over criteria (units) x evaluators (coders), N/A as missing;
  None when undefined (fewer than two evaluators, or no variation at all to measure against);
- per criterion: the share of evaluator pairs giving the same answer;
- per evaluator: the deviation of their score from the session consensus (the median), flagged
  beyond the tolerance (points).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from itertools import combinations

import krippendorff
import numpy as np

from contracts.scores import (
    CalibrationAssessed,
    CriterionAgreement,
    EvaluatorDeviation,
    QaResult,
)


def _code(answer: object) -> float:
    if answer == "na":
        return math.nan
    if answer == "yes":
        return 1.0
    if answer == "no":
        return 0.0
    return 10.0 + float(answer)  # type: ignore[arg-type]  # scale points, distinct from yes/no


def alpha(matrix: list[list[float]]) -> float | None:
    """Nominal alpha for an evaluators x criteria matrix (NaN = missing)."""
    data = np.array(matrix, dtype=float)
    if data.shape[0] < 2:
        return None
    pairable = data[:, (~np.isnan(data)).sum(axis=0) >= 2]
    values = pairable[~np.isnan(pairable)]
    if pairable.size == 0 or len(set(values.tolist())) < 2:
        return None  # no variation: expected disagreement is 0 and alpha is undefined
    return round(
        float(krippendorff.alpha(reliability_data=pairable, level_of_measurement="nominal")), 4
    )


def assess(
    session_id: str,
    interaction_id: str,
    evaluations: Sequence[tuple[str, QaResult]],
    tolerance: float,
) -> CalibrationAssessed:
    """`evaluations`: (evaluator id, result) for every evaluator of the session."""
    evaluations = sorted(evaluations)
    criteria = sorted({c.criterion_id for _, qa in evaluations for c in qa.criteria})
    answers = [{c.criterion_id: c.answer for c in qa.criteria} for _, qa in evaluations]
    matrix = [[_code(a.get(cid, "na")) for cid in criteria] for a in answers]
    per_criterion = []
    for cid in criteria:
        given = [a[cid] for a in answers if a.get(cid, "na") != "na"]
        pairs = list(combinations(given, 2))
        if pairs:
            agree = sum(1 for x, y in pairs if x == y) / len(pairs)
            per_criterion.append(
                CriterionAgreement(criterion_id=cid, n_raters=len(given), agreement=round(agree, 4))
            )
    scores = [qa.score for _, qa in evaluations]
    consensus = statistics.median(scores)
    deviations = tuple(
        EvaluatorDeviation(
            evaluator_id=e,
            score=qa.score,
            deviation=round(qa.score - consensus, 2),
            flagged=len(scores) >= 3 and abs(qa.score - consensus) > tolerance,
        )
        for e, qa in evaluations
    )
    return CalibrationAssessed(
        session_id=session_id,
        interaction_id=interaction_id,
        scorecard_id=evaluations[0][1].scorecard_id,
        evaluators=len(evaluations),
        alpha=alpha(matrix),
        score_spread=round(max(scores) - min(scores), 2),
        consensus_score=round(consensus, 2),
        tolerance=tolerance,
        criteria=tuple(per_criterion),
        deviations=deviations,
    )
