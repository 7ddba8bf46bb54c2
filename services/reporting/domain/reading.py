"""What reporting reads of an `interaction.scored` event: a tolerant reader.

Scored interactions carry per-criterion results and evidence (~5 KB); the projections need a
dozen fields. Validating only those (unknown fields ignored) is most of the decode cost saved;
every other event type is read with the full contract."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, TypeAdapter

from contracts.common import AwareDatetime, Channel, Frozen, Id
from contracts.envelope import CloudEvent
from contracts.events import (
    ActionEvaluatedEvent,
    ActionRaisedEvent,
    ActionTransitionedEvent,
    AlertRaisedEvent,
    AutoQaGateChangedEvent,
    CalibrationAssessedEvent,
    ComplaintRaisedEvent,
    ComplaintResolvedEvent,
    ComplaintScoredEvent,
    ComplaintUpdatedEvent,
    EvaluationAssignedEvent,
    EvaluationScoredEvent,
    EvaluationSubmittedEvent,
    InteractionCompletedEvent,
    SurveyRespondedEvent,
    SurveyScoredEvent,
)


class _View(Frozen):
    model_config = ConfigDict(frozen=True, extra="ignore", str_strip_whitespace=True)


class InteractionView(_View):
    interaction_id: Id
    channel: Channel
    queue: Id
    agent_id: Id | None = None
    team_id: Id | None = None
    offered_at: AwareDatetime
    wait_seconds: float
    hold_seconds: float = 0
    transferred: bool = False
    abandoned: bool = False
    resolved_first_contact: bool | None = None


class OperationalView(_View):
    counts_as_offered: bool
    answered_within_threshold: bool
    handle_seconds: float
    sl_target_percent: float | None = None
    abandonment_target_percent: float | None = None
    fcr_target_percent: float | None = None


class QaView(_View):
    score: float
    critical_failed: bool


class InteractionScoredView(_View):
    interaction: InteractionView
    operational: OperationalView
    auto_qa: QaView | None = None


class InteractionScoredViewEvent(CloudEvent[InteractionScoredView]):
    type: Literal["io.qualityloop.interaction.scored"] = "io.qualityloop.interaction.scored"


ReportingEvent = Annotated[
    InteractionScoredViewEvent
    | EvaluationScoredEvent
    | SurveyScoredEvent
    | ComplaintScoredEvent
    | ComplaintUpdatedEvent
    | ComplaintResolvedEvent
    | ActionRaisedEvent
    | ActionTransitionedEvent
    | ActionEvaluatedEvent
    | AlertRaisedEvent
    | AutoQaGateChangedEvent
    # Published on the same topics, not projected (yet): still read, so they are not poison.
    | CalibrationAssessedEvent
    | EvaluationAssignedEvent
    | InteractionCompletedEvent
    | EvaluationSubmittedEvent
    | SurveyRespondedEvent
    | ComplaintRaisedEvent,
    Field(discriminator="type"),
]
reporting_adapter: TypeAdapter[ReportingEvent] = TypeAdapter(ReportingEvent)
