"""Canonical event → scored event, against the standard in force. Pure: no I/O.

Scored event ids derive from the source event id alone, so re-scoring a redelivered event
yields the same id and downstream consumers keep the first score (no second, different score).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from contracts.envelope import CloudEvent, derived_event_id
from contracts.events import (
    CalibrationAssessedEvent,
    CanonicalEvent,
    ComplaintRaisedEvent,
    ComplaintScoredEvent,
    EvaluationScoredEvent,
    EvaluationSubmittedEvent,
    InteractionCompletedEvent,
    InteractionScoredEvent,
    SurveyRespondedEvent,
    SurveyScoredEvent,
)
from contracts.scores import (
    ComplaintScored,
    EvaluationScored,
    InteractionScored,
    QaResult,
    SurveyScored,
)
from services.scoring.domain.autoqa import auto_check, semantic_detectors
from services.scoring.domain.calibration import assess
from services.scoring.domain.complaints import deadlines
from services.scoring.domain.evaluation import ScoringError, score_evaluation
from services.scoring.domain.operational import score_interaction
from services.scoring.domain.semantic import Embed
from services.scoring.domain.sentiment import sentiment
from services.scoring.domain.standards import Standard
from services.scoring.domain.survey import csat_top2, nps_category
from services.scoring.domain.transcript import parse
from services.scoring.names import SOURCE


class ScoringRefused(Exception):
    """The event is valid but cannot be scored against the standard (goes to the DLQ)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field


@dataclass(frozen=True)
class Scorer:
    standard: Standard
    auto_qa_scorecard: str
    calibration_tolerance: float = 10.0
    embed: Embed | None = None  # the sentence encoder, when the scorecard has semantic detectors

    def prepare(self, events: Sequence[CanonicalEvent]) -> None:
        """Encode the agent utterances of a batch's transcripts in one pass: large matrix
        products are far cheaper per utterance, and the encoder keeps the vectors cached."""
        if self.embed is None or not semantic_detectors(
            self.standard.scorecard(self.auto_qa_scorecard)
        ):
            return
        texts = [
            u.text
            for e in events
            if isinstance(e, InteractionCompletedEvent) and e.data.transcript
            for u in parse(e.data.transcript, e.data.channel.value).utterances
        ]
        if texts:
            self.embed(texts)

    @cached_property
    def automated_criteria(self) -> frozenset[str]:
        card = self.standard.scorecard(self.auto_qa_scorecard)
        return frozenset(c.id for s in card.sections for c in s.criteria if c.detector)

    def score(self, event: CanonicalEvent) -> CloudEvent[Any] | None:
        if isinstance(event, InteractionCompletedEvent):
            return self._interaction(event)
        if isinstance(event, EvaluationSubmittedEvent):
            return self._evaluation(event)
        if isinstance(event, SurveyRespondedEvent):
            return self._survey(event)
        if isinstance(event, ComplaintRaisedEvent):
            return self._complaint(event)
        return None  # complaint updates and resolutions: projected from their own topic

    def _envelope(self, event: CanonicalEvent) -> dict[str, Any]:
        return {
            "id": derived_event_id("scored", event.id),
            "source": SOURCE,
            "time": event.time,
            "subject": event.subject,
        }

    def _interaction(self, event: InteractionCompletedEvent) -> InteractionScoredEvent:
        i = event.data
        auto = None
        if i.transcript:
            scorecard = self.standard.scorecard(self.auto_qa_scorecard)
            auto = auto_check(i.transcript, scorecard, self.embed, i.channel.value)
        data = InteractionScored(
            source_event_id=event.id,
            standard_version=self.standard.id,
            interaction=i.model_copy(update={"transcript": None}),
            operational=score_interaction(i, self.standard),
            auto_qa=auto,
        )
        return InteractionScoredEvent(**self._envelope(event), data=data)

    def _evaluation(self, event: EvaluationSubmittedEvent) -> EvaluationScoredEvent:
        e = event.data
        try:
            scorecard = self.standard.scorecard(e.scorecard_id, e.scorecard_version)
            qa = score_evaluation(e.answers, scorecard)
        except (KeyError, ScoringError) as err:
            raise ScoringRefused("data.answers", str(err)) from err
        data = EvaluationScored(
            source_event_id=event.id,
            standard_version=self.standard.id,
            evaluation_id=e.evaluation_id,
            interaction_id=e.interaction_id,
            agent_id=e.agent_id,
            team_id=e.team_id,
            evaluator_id=e.evaluator_id,
            method=e.method,
            calibration_session_id=e.calibration_session_id,
            counts_toward_agent=e.calibration_session_id is None,
            evaluated_at=e.evaluated_at,
            qa=qa,
        )
        return EvaluationScoredEvent(**self._envelope(event), data=data)

    def _survey(self, event: SurveyRespondedEvent) -> SurveyScoredEvent:
        s = event.data
        data = SurveyScored(
            source_event_id=event.id,
            standard_version=self.standard.id,
            survey=s,
            csat_top2=csat_top2(s.csat),
            nps_category=nps_category(s.nps),
            sentiment=sentiment(s.verbatim),
            csat_target_percent=self.standard.surveys.csat_percent,
            nps_target=self.standard.surveys.nps,
        )
        return SurveyScoredEvent(**self._envelope(event), data=data)

    def _complaint(self, event: ComplaintRaisedEvent) -> ComplaintScoredEvent:
        c = event.data
        acknowledge_by, resolve_by = deadlines(c, self.standard)
        data = ComplaintScored(
            source_event_id=event.id,
            standard_version=self.standard.id,
            complaint=c,
            severity=c.severity,
            acknowledge_by=acknowledge_by,
            resolve_by=resolve_by,
            sentiment=sentiment(c.description),
        )
        return ComplaintScoredEvent(**self._envelope(event), data=data)

    def calibration(
        self, session_id: str, evaluations: list[tuple[str, str, QaResult]], at: datetime
    ) -> CalibrationAssessedEvent:
        """The session's agreement as it stands; the id names the evaluations it covers."""
        assessed = assess(
            session_id,
            evaluations[0][1],
            [(e, qa) for e, _, qa in evaluations],
            self.calibration_tolerance,
        )
        covered = [f"{e}:{qa.score}" for e, _, qa in evaluations]
        return CalibrationAssessedEvent(
            id=derived_event_id("calibration", session_id, *covered),
            source=SOURCE,
            time=at,
            subject=session_id,
            data=assessed,
        )
