"""The actions API's request and response bodies (typed, so the OpenAPI document states them)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from contracts.actions import ActionStatus
from contracts.actions import Text as ContractText
from runtime.http import storable


class TransitionRequest(BaseModel):
    """The same constraints as the `ActionTransitioned` event it becomes, so a body the event
    would refuse is a 422 here, not a 500 after the update. Who moves the action is taken from
    the token: a `by` field is refused (extra fields are)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    status: ActionStatus
    reason: Annotated[ContractText, AfterValidator(storable)] | None = None


class Out(BaseModel):
    # Every key the handler returns must be declared: nothing is dropped silently.
    model_config = ConfigDict(extra="forbid")


class Action(Out):
    action_id: str
    kind: str
    rule_id: str
    rule_version: str
    trigger: str
    scope_type: str
    scope_id: str
    team_id: str | None
    metric: str
    observed: float
    threshold: float
    window_size: int
    status: ActionStatus
    summary: str
    due_at: datetime
    raised_at: datetime
    updated_at: datetime
    done_at: datetime | None
    closed_at: datetime | None
    escalated_at: datetime | None
    details: dict[str, Any] | None = Field(description="the `action.raised` event's data")
    evaluation: dict[str, Any] | None = Field(description="the before/after result, once made")
    open: bool
