"""QA evaluation events: a human (or automated) evaluation of one interaction."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from contracts.common import AwareDatetime, EvaluationMethod, FreeText, Frozen, Id

Answer = Literal["yes", "no", "na"] | Annotated[int, Field(ge=0, le=10)]


class CriterionAnswer(Frozen):
    criterion_id: Id
    answer: Answer
    comment: Annotated[str, Field(max_length=4000)] | None = None


class EvaluationSubmitted(Frozen):
    """A QA evaluation as an evaluator's tool submits it."""

    evaluation_id: Id
    interaction_id: Id
    agent_id: Id
    team_id: Id | None = None
    evaluator_id: Id
    method: EvaluationMethod
    scorecard_id: Id
    scorecard_version: Id | None = None  # None: the version in force when scored
    answers: Annotated[tuple[CriterionAnswer, ...], Field(min_length=1, max_length=500)]
    comments: FreeText | None = None
    calibration_session_id: Id | None = None
    evaluated_at: AwareDatetime

    @model_validator(mode="after")
    def _unique_criteria(self) -> Self:
        seen: set[str] = set()
        for answer in self.answers:
            if answer.criterion_id in seen:
                raise ValueError(f"criterion {answer.criterion_id!r} answered twice")
            seen.add(answer.criterion_id)
        return self
