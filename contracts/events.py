"""Every event type, its CloudEvents `type`, and one parser for the lot.

Event types are past-tense facts. `parse_event` rejects unknown types and any field error with
pydantic's located messages (e.g. `data.queue: Field required`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter

from contracts.actions import (
    ActionEvaluated,
    ActionRaised,
    ActionTransitioned,
    AlertRaised,
)
from contracts.complaints import ComplaintRaised, ComplaintResolved, ComplaintUpdated
from contracts.envelope import CloudEvent, Source
from contracts.evaluations import EvaluationSubmitted
from contracts.gates import AutoQaGateChanged
from contracts.interactions import InteractionCompleted
from contracts.scores import (
    CalibrationAssessed,
    ComplaintScored,
    EvaluationAssigned,
    EvaluationScored,
    InteractionScored,
    SurveyScored,
)
from contracts.surveys import SurveyResponded

P = "io.qualityloop."


class InteractionCompletedEvent(CloudEvent[InteractionCompleted]):
    type: Literal["io.qualityloop.interaction.completed"] = "io.qualityloop.interaction.completed"


class EvaluationSubmittedEvent(CloudEvent[EvaluationSubmitted]):
    type: Literal["io.qualityloop.evaluation.submitted"] = "io.qualityloop.evaluation.submitted"


class SurveyRespondedEvent(CloudEvent[SurveyResponded]):
    type: Literal["io.qualityloop.survey.responded"] = "io.qualityloop.survey.responded"


class ComplaintRaisedEvent(CloudEvent[ComplaintRaised]):
    type: Literal["io.qualityloop.complaint.raised"] = "io.qualityloop.complaint.raised"


class ComplaintUpdatedEvent(CloudEvent[ComplaintUpdated]):
    type: Literal["io.qualityloop.complaint.updated"] = "io.qualityloop.complaint.updated"


class ComplaintResolvedEvent(CloudEvent[ComplaintResolved]):
    type: Literal["io.qualityloop.complaint.resolved"] = "io.qualityloop.complaint.resolved"


class InteractionScoredEvent(CloudEvent[InteractionScored]):
    type: Literal["io.qualityloop.interaction.scored"] = "io.qualityloop.interaction.scored"


class EvaluationScoredEvent(CloudEvent[EvaluationScored]):
    type: Literal["io.qualityloop.evaluation.scored"] = "io.qualityloop.evaluation.scored"


class SurveyScoredEvent(CloudEvent[SurveyScored]):
    type: Literal["io.qualityloop.survey.scored"] = "io.qualityloop.survey.scored"


class ComplaintScoredEvent(CloudEvent[ComplaintScored]):
    type: Literal["io.qualityloop.complaint.scored"] = "io.qualityloop.complaint.scored"


class CalibrationAssessedEvent(CloudEvent[CalibrationAssessed]):
    type: Literal["io.qualityloop.calibration.assessed"] = "io.qualityloop.calibration.assessed"


class AutoQaGateChangedEvent(CloudEvent[AutoQaGateChanged]):
    type: Literal["io.qualityloop.autoqa.gate_changed"] = "io.qualityloop.autoqa.gate_changed"


class EvaluationAssignedEvent(CloudEvent[EvaluationAssigned]):
    type: Literal["io.qualityloop.evaluation.assigned"] = "io.qualityloop.evaluation.assigned"


class ActionRaisedEvent(CloudEvent[ActionRaised]):
    type: Literal["io.qualityloop.action.raised"] = "io.qualityloop.action.raised"


class ActionTransitionedEvent(CloudEvent[ActionTransitioned]):
    type: Literal["io.qualityloop.action.transitioned"] = "io.qualityloop.action.transitioned"


class ActionEvaluatedEvent(CloudEvent[ActionEvaluated]):
    type: Literal["io.qualityloop.action.evaluated"] = "io.qualityloop.action.evaluated"


class AlertRaisedEvent(CloudEvent[AlertRaised]):
    type: Literal["io.qualityloop.alert.raised"] = "io.qualityloop.alert.raised"


CanonicalEvent = Annotated[
    InteractionCompletedEvent
    | EvaluationSubmittedEvent
    | SurveyRespondedEvent
    | ComplaintRaisedEvent
    | ComplaintUpdatedEvent
    | ComplaintResolvedEvent,
    Field(discriminator="type"),
]
ScoredEvent = Annotated[
    InteractionScoredEvent
    | EvaluationScoredEvent
    | SurveyScoredEvent
    | ComplaintScoredEvent
    | CalibrationAssessedEvent
    | AutoQaGateChangedEvent,
    Field(discriminator="type"),
]
ActionEvent = Annotated[
    ActionRaisedEvent | ActionTransitionedEvent | ActionEvaluatedEvent | AlertRaisedEvent,
    Field(discriminator="type"),
]
AnyEvent = Annotated[
    InteractionCompletedEvent
    | EvaluationSubmittedEvent
    | SurveyRespondedEvent
    | ComplaintRaisedEvent
    | ComplaintUpdatedEvent
    | ComplaintResolvedEvent
    | InteractionScoredEvent
    | EvaluationScoredEvent
    | SurveyScoredEvent
    | ComplaintScoredEvent
    | CalibrationAssessedEvent
    | AutoQaGateChangedEvent
    | EvaluationAssignedEvent
    | ActionRaisedEvent
    | ActionTransitionedEvent
    | ActionEvaluatedEvent
    | AlertRaisedEvent,
    Field(discriminator="type"),
]

canonical_adapter: TypeAdapter[CanonicalEvent] = TypeAdapter(CanonicalEvent)
scored_adapter: TypeAdapter[ScoredEvent] = TypeAdapter(ScoredEvent)
action_adapter: TypeAdapter[ActionEvent] = TypeAdapter(ActionEvent)
any_adapter: TypeAdapter[AnyEvent] = TypeAdapter(AnyEvent)

EVENT_CLASSES: dict[str, type[CloudEvent[Any]]] = {
    cls.model_fields["type"].default: cls
    for cls in (
        InteractionCompletedEvent,
        EvaluationSubmittedEvent,
        SurveyRespondedEvent,
        ComplaintRaisedEvent,
        ComplaintUpdatedEvent,
        ComplaintResolvedEvent,
        InteractionScoredEvent,
        EvaluationScoredEvent,
        SurveyScoredEvent,
        ComplaintScoredEvent,
        CalibrationAssessedEvent,
        AutoQaGateChangedEvent,
        EvaluationAssignedEvent,
        ActionRaisedEvent,
        ActionTransitionedEvent,
        ActionEvaluatedEvent,
        AlertRaisedEvent,
    )
}


def parse_event(raw: bytes | str) -> AnyEvent:
    """Parse any QualityLoop event (raises pydantic.ValidationError naming the field)."""
    return any_adapter.validate_json(raw)


def dataschema_for(event_type: str) -> str:
    return "https://qualityloop.io/schemas/" + event_type.removeprefix(P) + ".json"


__all__ = ["EVENT_CLASSES", "AnyEvent", "CanonicalEvent", "Source", "parse_event"]
