"""Calibration statistics, with Krippendorff's alpha checked against an independent
implementation written here from the definition (coincidence matrix, nominal metric)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.scores import CriterionResult, QaResult, SectionResult
from services.scoring.domain.calibration import alpha, assess
from tests.calibration_reference import reference_alpha

NAN = math.nan
# Krippendorff's worked example (4 coders x 12 units, with missing values), nominal alpha 0.743.
KRIPPENDORFF = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]


def test_alpha_matches_the_published_example_and_the_reference() -> None:
    assert alpha(KRIPPENDORFF) == pytest.approx(0.743, abs=0.001)
    assert alpha(KRIPPENDORFF) == pytest.approx(reference_alpha(KRIPPENDORFF), abs=1e-4)


@settings(max_examples=200)
@given(
    st.integers(2, 5).flatmap(
        lambda raters: st.lists(
            st.lists(st.sampled_from([0.0, 1.0, 2.0, NAN]), min_size=raters, max_size=raters),
            min_size=2,
            max_size=12,
        )
    )
)
def test_alpha_agrees_with_the_reference_on_random_sessions(units: list[list[float]]) -> None:
    matrix = [list(row) for row in zip(*units, strict=True)]
    ours = alpha(matrix)
    pairable = [u for u in units if sum(not math.isnan(v) for v in u) >= 2]
    values = {v for u in pairable for v in u if not math.isnan(v)}
    if len(values) < 2:
        assert ours is None
        return
    assert ours == pytest.approx(reference_alpha(matrix), abs=1e-3)


def qa(score: float, **answers: object) -> QaResult:
    criteria = tuple(
        CriterionResult(
            criterion_id=k.replace("_", "-"),
            section_id="s",
            answer=v,  # type: ignore[arg-type]
            points=1 if v == "yes" else 0,
            max_points=0 if v == "na" else 1,
        )
        for k, v in answers.items()
    )
    return QaResult(
        scorecard_id="core-qa",
        scorecard_version="v",
        score=score,
        critical_failed=False,
        automated=False,
        sections=(SectionResult(section_id="s", weight=1, score=score),),
        criteria=criteria,
    )


def test_session_assessment_flags_the_outlying_evaluator() -> None:
    result = assess(
        "cal-1",
        "int-9",
        [
            ("qa-a", qa(80, greeting="yes", empathy="yes", summary="no")),
            ("qa-b", qa(82, greeting="yes", empathy="yes", summary="no")),
            ("qa-c", qa(45, greeting="yes", empathy="no", summary="yes")),
        ],
        tolerance=10,
    )
    assert result.evaluators == 3 and result.consensus_score == 80 and result.score_spread == 37
    flagged = {d.evaluator_id for d in result.deviations if d.flagged}
    assert flagged == {"qa-c"}
    agreement = {c.criterion_id: c.agreement for c in result.criteria}
    assert agreement == {
        "empathy": pytest.approx(1 / 3, abs=1e-3),
        "greeting": 1.0,
        "summary": pytest.approx(1 / 3, abs=1e-3),
    }
    assert result.alpha is not None and result.alpha < 0.5


def test_perfect_agreement_without_variation_has_no_alpha() -> None:
    same = qa(100, greeting="yes", empathy="yes")
    result = assess("cal-2", "int-1", [("a", same), ("b", same)], tolerance=10)
    assert result.alpha is None and all(c.agreement == 1 for c in result.criteria)
    assert not any(d.flagged for d in result.deviations)
