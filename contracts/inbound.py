"""What source systems send to ingest (HTTP body or `raw.*` topic value).

The same CloudEvents attributes as canonical events, except that `source` may be left out
(ingest records the authenticated source system) and customer identifiers arrive in clear.
These shapes never leave ingest.
"""

from __future__ import annotations

from typing import Annotated, Generic, Literal

from pydantic import Field, TypeAdapter

from contracts.common import AwareDatetime, Frozen, Id
from contracts.complaints import ComplaintReported, ComplaintResolved, ComplaintUpdated
from contracts.envelope import DataT, Source
from contracts.evaluations import EvaluationSubmitted
from contracts.interactions import InteractionReported
from contracts.surveys import SurveyReported


class InboundEvent(Frozen, Generic[DataT]):
    specversion: Literal["1.0"] = "1.0"
    id: Id
    source: Source | None = None
    type: str
    time: AwareDatetime
    subject: Annotated[str, Field(max_length=256)] | None = None
    data: DataT


class InboundInteraction(InboundEvent[InteractionReported]):
    type: Literal["io.qualityloop.interaction.completed"]


class InboundEvaluation(InboundEvent[EvaluationSubmitted]):
    type: Literal["io.qualityloop.evaluation.submitted"]


class InboundSurvey(InboundEvent[SurveyReported]):
    type: Literal["io.qualityloop.survey.responded"]


class InboundComplaintRaised(InboundEvent[ComplaintReported]):
    type: Literal["io.qualityloop.complaint.raised"]


class InboundComplaintUpdated(InboundEvent[ComplaintUpdated]):
    type: Literal["io.qualityloop.complaint.updated"]


class InboundComplaintResolved(InboundEvent[ComplaintResolved]):
    type: Literal["io.qualityloop.complaint.resolved"]


Inbound = Annotated[
    InboundInteraction
    | InboundEvaluation
    | InboundSurvey
    | InboundComplaintRaised
    | InboundComplaintUpdated
    | InboundComplaintResolved,
    Field(discriminator="type"),
]
inbound_adapter: TypeAdapter[Inbound] = TypeAdapter(Inbound)
