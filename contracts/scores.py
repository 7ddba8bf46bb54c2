"""Scored events: what the scoring service concluded about each canonical event."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field

from contracts.common import AwareDatetime, EvaluationMethod, Frozen, Id, Seconds, Severity
from contracts.complaints import ComplaintRaised
from contracts.evaluations import Answer
from contracts.interactions import InteractionCompleted
from contracts.surveys import SurveyResponded

Percent = Annotated[float, Field(ge=0, le=100)]


class Evidence(Frozen):
    """Why an automated check answered as it did: a matched span, or the rule that failed.

    The semantic engine also gives the closest utterance's similarity (`score`) against the
    criterion's `threshold`, met or not; every engine names itself and its model version."""

    start: Annotated[int, Field(ge=0)] | None = None
    end: Annotated[int, Field(ge=0)] | None = None
    text: Annotated[str, Field(max_length=2000)] | None = None
    rule: Annotated[str, Field(max_length=500)] | None = None
    turn: Annotated[int, Field(ge=0)] | None = None  # index of the transcript's turn
    score: Annotated[float, Field(ge=-1, le=1)] | None = None  # cosine similarity
    threshold: Annotated[float, Field(ge=-1, le=1)] | None = None
    engine: Annotated[str, Field(max_length=40)] | None = None  # semantic, phrase, regex, ...
    model: Annotated[str, Field(max_length=120)] | None = None  # e.g. all-MiniLM-L6-v2@<sha>


class CriterionResult(Frozen):
    criterion_id: Id
    section_id: Id
    answer: Answer
    points: float
    max_points: float
    critical: bool = False
    bonus: bool = False
    automated: bool = False
    evidence: tuple[Evidence, ...] = ()
    # The trust gate (automated answers only): False = the criterion's agreement with human
    # evaluators is below the bar, so this answer raises nothing; None = not gated.
    verified: bool | None = None

    @property
    def passed(self) -> bool | None:
        if self.answer == "na":
            return None
        return self.points >= self.max_points if self.max_points else self.answer == "yes"


class SectionResult(Frozen):
    section_id: Id
    weight: float
    score: Percent | None  # None: every criterion N/A
    critical_failed: bool = False


class QaResult(Frozen):
    scorecard_id: Id
    scorecard_version: Id
    score: Percent
    critical_failed: bool
    automated: bool
    sections: tuple[SectionResult, ...]
    criteria: tuple[CriterionResult, ...]


class OperationalResult(Frozen):
    """An interaction measured against the standard's service-level and AHT targets."""

    sl_threshold_seconds: Seconds
    sl_variant: Literal["offered", "exclude_short_abandons"]
    counts_as_offered: bool  # in the service-level denominator under the variant
    answered_within_threshold: bool
    handle_seconds: Seconds
    aht_band: Literal["short", "normal", "long"] | None  # None when not handled
    transferred: bool
    resolved_first_contact: bool | None
    sl_target_percent: Percent | None = None  # the standard's targets, for interval alerts
    abandonment_target_percent: Percent | None = None
    fcr_target_percent: Percent | None = None


class InteractionScored(Frozen):
    source_event_id: Id
    standard_version: Id
    interaction: InteractionCompleted  # transcript stripped: evidence carries what matters
    operational: OperationalResult
    auto_qa: QaResult | None = None


class EvaluationScored(Frozen):
    source_event_id: Id
    standard_version: Id
    evaluation_id: Id
    interaction_id: Id
    agent_id: Id
    team_id: Id | None = None
    evaluator_id: Id
    method: EvaluationMethod
    calibration_session_id: Id | None = None
    counts_toward_agent: bool  # calibration evaluations do not
    evaluated_at: AwareDatetime
    qa: QaResult


class NpsCategory(StrEnum):
    PROMOTER = "promoter"
    PASSIVE = "passive"
    DETRACTOR = "detractor"


class SurveyScored(Frozen):
    source_event_id: Id
    standard_version: Id
    survey: SurveyResponded
    csat_top2: bool | None
    nps_category: NpsCategory | None
    sentiment: Annotated[float, Field(ge=-1, le=1)] | None = None
    csat_target_percent: Percent | None = None  # the standard's targets, for dashboards
    nps_target: Annotated[float, Field(ge=-100, le=100)] | None = None


class ComplaintScored(Frozen):
    """A raised complaint measured against the complaint-handling targets."""

    source_event_id: Id
    standard_version: Id
    complaint: ComplaintRaised
    severity: Severity
    acknowledge_by: AwareDatetime
    resolve_by: AwareDatetime
    sentiment: Annotated[float, Field(ge=-1, le=1)] | None = None


class CriterionAgreement(Frozen):
    criterion_id: Id
    n_raters: int
    agreement: Annotated[float, Field(ge=0, le=1)]  # share of rater pairs answering alike


class EvaluatorDeviation(Frozen):
    evaluator_id: Id
    score: Percent
    deviation: float  # score minus the session consensus (median)
    flagged: bool


class CalibrationAssessed(Frozen):
    """Agreement within a calibration session, recomputed as each evaluation arrives."""

    session_id: Id
    interaction_id: Id
    scorecard_id: Id
    evaluators: Annotated[int, Field(ge=1)]
    alpha: float | None  # Krippendorff's alpha (nominal) over criteria x evaluators
    score_spread: float  # max - min evaluation score
    consensus_score: Percent
    tolerance: float
    criteria: tuple[CriterionAgreement, ...]
    deviations: tuple[EvaluatorDeviation, ...]


class AssignmentReason(StrEnum):
    RANDOM = "random"  # the plan's stratified random sample
    LOW_AUTO_SCORE = "low_auto_score"
    LONG_HANDLE = "long_handle"
    COMPLAINT_LINKED = "complaint_linked"


class EvaluationAssigned(Frozen):
    """An interaction picked by a monitoring plan for a human evaluation."""

    assignment_id: Id
    plan_id: Id
    interaction_id: Id
    agent_id: Id
    team_id: Id | None = None
    channel: Id
    reason: AssignmentReason
    week: Annotated[str, Field(pattern=r"^\d{4}-W\d{2}$")]  # ISO week of the interaction
    assigned_at: AwareDatetime
    due_by: AwareDatetime
