"""What source systems send to ingest (HTTP body or `raw.*` topic value).

The same CloudEvents attributes as canonical events, except that `source` may be left out
(ingest records the authenticated source system) and customer identifiers arrive in clear.
`dataschema` is accepted and replaced by ours; `datacontenttype` must be JSON. On the wire an event
may also carry extension attributes (and arrive in binary content mode): ingest's envelope
normaliser (`services/ingest/domain/cloudevents.py`) checks and separates them before these
models validate the rest, so `data` stays strict: a misspelt data field is still an error.
These shapes never leave ingest.
"""

from __future__ import annotations

from typing import Annotated, Generic, Literal

from pydantic import AfterValidator, ConfigDict, Field, TypeAdapter
from pydantic.json_schema import JsonDict

from contracts.common import AwareDatetime, Frozen, Id
from contracts.complaints import ComplaintReported, ComplaintResolved, ComplaintUpdated
from contracts.envelope import SCHEMA_VERSION, DataT, Source
from contracts.evaluations import EvaluationSubmitted
from contracts.interactions import InteractionReported
from contracts.surveys import SurveyReported


def _supported(version: int) -> int:
    if version != SCHEMA_VERSION:
        raise ValueError(f"schemaversion {version} is unknown; this ingest reads {SCHEMA_VERSION}")
    return version


# What the wire format allows beyond the modelled attributes (documented in the JSON Schema; the
# normaliser enforces it): extension attributes named [a-z0-9]+ holding a string, bool or integer.
EXTENSIONS: JsonDict = {
    "propertyNames": {"pattern": "^[a-z0-9]+$"},
    "additionalProperties": {"type": ["string", "boolean", "integer", "null"]},
}


class InboundEvent(Frozen, Generic[DataT]):
    model_config = ConfigDict(json_schema_extra=EXTENSIONS)

    specversion: Literal["1.0"] = "1.0"
    id: Id
    source: Source | None = None
    type: str
    time: AwareDatetime
    subject: Annotated[str, Field(max_length=256)] | None = None
    dataschema: Annotated[str, Field(max_length=512)] | None = None
    datacontenttype: Literal["application/json"] | None = None
    schemaversion: Annotated[int, AfterValidator(_supported)] | None = None
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
