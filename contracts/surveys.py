"""Survey events: a customer's post-contact survey response."""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import Field, model_validator

from contracts.common import (
    AwareDatetime,
    Channel,
    CustomerIdentity,
    CustomerPseudonym,
    FreeText,
    Frozen,
    Id,
)


class SurveyResponded(Frozen):
    response_id: Id
    interaction_id: Id | None = None
    agent_id: Id | None = None
    team_id: Id | None = None
    queue: Id | None = None
    channel: Channel | None = None
    customer: CustomerPseudonym | None = None
    csat: Annotated[int, Field(ge=1, le=5)] | None = None
    nps: Annotated[int, Field(ge=0, le=10)] | None = None
    ces: Annotated[int, Field(ge=1, le=7)] | None = None
    verbatim: FreeText | None = None
    responded_at: AwareDatetime

    @model_validator(mode="after")
    def _some_score(self) -> Self:
        if self.csat is None and self.nps is None and self.ces is None and not self.verbatim:
            raise ValueError("a survey response needs at least one of csat, nps, ces, verbatim")
        return self


class SurveyReported(SurveyResponded):
    customer: CustomerIdentity | None = None  # type: ignore[assignment]
