"""Scorecard scoring: exhaustive examples and hypothesis properties (bounds, weights, N/A,
critical failures, monotonicity)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.evaluations import CriterionAnswer
from services.scoring.domain.evaluation import ScoringError, score_evaluation
from services.scoring.domain.standards import Criterion, Scorecard, Section
from services.scoring.standards_files import load_standards

DEFAULT = load_standards(Path(__file__).parents[3] / "services" / "scoring" / "standards")
CORE = DEFAULT.scorecard("core-qa")


def card(*sections: Section) -> Scorecard:
    return Scorecard(id="t", title="t", sections=sections, version="v1")


def yn(
    cid: str, weight: float = 1, critical: str = "none", bonus: bool = False, na: bool = True
) -> Criterion:
    return Criterion(id=cid, text=cid, weight=weight, critical=critical, bonus=bonus, na_allowed=na)  # type: ignore[arg-type]


def answers(**given: object) -> list[CriterionAnswer]:
    return [CriterionAnswer(criterion_id=k.replace("_", "-"), answer=v) for k, v in given.items()]  # type: ignore[arg-type]


SIMPLE = card(
    Section(id="s1", title="s1", weight=1, criteria=(yn("a"), yn("b", weight=3))),
    Section(
        id="s2",
        title="s2",
        weight=3,
        criteria=(
            yn("c", critical="section"),
            Criterion(id="d", text="d", kind="scale", scale_max=4),
            yn("bonus", bonus=True),
        ),
    ),
    Section(id="s3", title="s3", weight=1, criteria=(yn("e", critical="evaluation"),)),
)


def test_weighted_score_by_hand() -> None:
    result = score_evaluation(answers(a="yes", b="no", c="yes", d=2, e="yes"), SIMPLE)
    # s1: 1/4 = 25; s2: (1 + 0.5) / 2 = 75; s3: 100 -> (25 + 3*75 + 100) / 5 = 70
    assert result.score == pytest.approx(70)
    assert [s.score for s in result.sections] == pytest.approx([25, 75, 100])
    assert not result.critical_failed


def test_section_critical_zeroes_the_section_only() -> None:
    result = score_evaluation(answers(a="yes", b="yes", c="no", d=4, e="yes"), SIMPLE)
    assert result.sections[1].score == 0 and result.sections[1].critical_failed
    assert result.score == pytest.approx((100 + 0 + 100) / 5)
    assert result.critical_failed


def test_evaluation_critical_zeroes_everything() -> None:
    result = score_evaluation(answers(a="yes", b="yes", c="yes", d=4, e="no"), SIMPLE)
    assert result.score == 0 and result.critical_failed


def test_bonus_adds_but_caps_and_never_penalises() -> None:
    base = score_evaluation(answers(a="yes", b="yes", c="yes", d=2, e="yes"), SIMPLE)
    with_bonus = score_evaluation(
        answers(a="yes", b="yes", c="yes", d=2, e="yes", bonus="yes"), SIMPLE
    )
    without = score_evaluation(answers(a="yes", b="yes", c="yes", d=2, e="yes", bonus="no"), SIMPLE)
    assert with_bonus.score > base.score == without.score
    full = score_evaluation(answers(a="yes", b="yes", c="yes", d=4, e="yes", bonus="yes"), SIMPLE)
    assert full.score == 100 and full.sections[1].score == 100


def test_na_section_drops_out_and_weights_renormalise() -> None:
    result = score_evaluation(answers(a="na", b="na", c="yes", d=4, e="yes"), SIMPLE)
    assert result.sections[0].score is None
    assert result.score == 100


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"zzz": "yes"}, "unknown criteria"),
        ({"e": "na"}, "does not allow N/A"),
        ({"a": 3}, "takes yes, no or na"),
        ({"d": "yes"}, "takes a number"),
        ({"d": 5}, "above the scale maximum"),
    ],
)
def test_answers_that_do_not_fit_are_refused(given: dict[str, object], message: str) -> None:
    sc = card(
        Section(
            id="s",
            title="s",
            weight=1,
            criteria=(
                yn("a"),
                Criterion(id="d", text="d", kind="scale", scale_max=4),
                yn("e", na=False),
            ),
        )
    )
    base: dict[str, object] = {"a": "yes", "d": 2, "e": "yes"}
    with pytest.raises(ScoringError, match=message):
        score_evaluation(
            [
                CriterionAnswer(criterion_id=k, answer=v)  # type: ignore[arg-type]
                for k, v in (base | given).items()
            ],
            sc,
        )


def test_missing_mandatory_answer_is_refused() -> None:
    # core-qa has no mandatory criterion any more: identity verification became N/A-able
    # when no check is due (its detector's applies_when), so the rule is shown on its own card.
    mandatory = card(Section(id="s", title="s", weight=1, criteria=(yn("a"), yn("e", na=False))))
    with pytest.raises(ScoringError, match="must be answered"):
        score_evaluation(answers(a="yes"), mandatory)


# ---------------------------------------------------------------- properties on the real card
CRITERIA = [c for s in CORE.sections for c in s.criteria]


def answer_for(c: Criterion) -> st.SearchStrategy[object]:
    options: list[st.SearchStrategy[object]] = []
    if c.kind == "scale":
        assert c.scale_max is not None
        options.append(st.integers(0, c.scale_max))
    else:
        options.append(st.sampled_from(["yes", "no"]))
    if c.na_allowed:
        options.append(st.just("na"))
    return st.one_of(options)


sheets = st.fixed_dictionaries({c.id: answer_for(c) for c in CRITERIA}).filter(
    lambda d: any(
        v != "na" for k, v in d.items() if not next(c for c in CRITERIA if c.id == k).bonus
    )
)


def score(sheet: dict[str, object], sc: Scorecard = CORE) -> float:
    return score_evaluation(
        [
            CriterionAnswer(criterion_id=k, answer=v)  # type: ignore[arg-type]
            for k, v in sheet.items()
        ],
        sc,
    ).score


@settings(max_examples=300)
@given(sheets)
def test_score_is_bounded(sheet: dict[str, object]) -> None:
    assert 0 <= score(sheet) <= 100


@settings(max_examples=300)
@given(sheets)
def test_critical_evaluation_failure_scores_zero(sheet: dict[str, object]) -> None:
    result = score_evaluation(
        [
            CriterionAnswer(criterion_id=k, answer=v)  # type: ignore[arg-type]
            for k, v in (sheet | {"identity-verification": "no"}).items()
        ],
        CORE,
    )
    assert result.score == 0 and result.critical_failed


@settings(max_examples=300)
@given(sheets, st.sampled_from([c.id for c in CRITERIA if c.kind == "yes_no"]))
def test_no_to_yes_never_lowers_the_score(sheet: dict[str, object], cid: str) -> None:
    if sheet[cid] != "no":
        return
    assert score(sheet | {cid: "yes"}) >= score(sheet)


@settings(max_examples=300)
@given(sheets, st.floats(0.1, 50))
def test_scaling_every_weight_changes_nothing(sheet: dict[str, object], k: float) -> None:
    scaled = CORE.model_copy(
        update={
            "sections": tuple(
                s.model_copy(
                    update={
                        "weight": s.weight * k,
                        "criteria": tuple(
                            c.model_copy(update={"weight": c.weight * k}) for c in s.criteria
                        ),
                    }
                )
                for s in CORE.sections
            )
        }
    )
    assert score(sheet, scaled) == pytest.approx(score(sheet), abs=1e-3)


@settings(max_examples=300)
@given(sheets, st.sampled_from([c.id for c in CRITERIA if c.na_allowed and not c.bonus]))
def test_na_equals_scoring_without_the_criterion(sheet: dict[str, object], cid: str) -> None:
    pruned_sections = []
    for s in CORE.sections:
        kept = tuple(c for c in s.criteria if c.id != cid)
        if kept:
            pruned_sections.append(s.model_copy(update={"criteria": kept}))
    pruned = CORE.model_copy(update={"sections": tuple(pruned_sections)})
    rest = {k: v for k, v in sheet.items() if k != cid}
    try:
        expected = score(rest, pruned)
    except ScoringError:
        return  # nothing else applicable
    assert score(sheet | {cid: "na"}) == pytest.approx(expected, abs=1e-3)
