"""Interaction events: one contact (call, chat, email...) handled or abandoned."""

from __future__ import annotations

from typing import Self

from pydantic import model_validator

from contracts.common import (
    AwareDatetime,
    Channel,
    CustomerIdentity,
    CustomerPseudonym,
    FreeText,
    Frozen,
    Id,
    Seconds,
)


class InteractionCompleted(Frozen):
    """An interaction that ended (answered and handled, or abandoned while waiting)."""

    interaction_id: Id
    channel: Channel
    queue: Id
    agent_id: Id | None = None
    team_id: Id | None = None
    customer: CustomerPseudonym | None = None
    offered_at: AwareDatetime
    answered_at: AwareDatetime | None = None
    ended_at: AwareDatetime
    wait_seconds: Seconds
    talk_seconds: Seconds = 0
    hold_seconds: Seconds = 0
    after_contact_work_seconds: Seconds = 0
    transferred: bool = False
    abandoned: bool = False
    resolved_first_contact: bool | None = None
    transcript: FreeText | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.ended_at < self.offered_at:
            raise ValueError("ended_at is before offered_at")
        if self.abandoned:
            if self.answered_at is not None:
                raise ValueError("an abandoned interaction has no answered_at")
        else:
            if self.answered_at is None:
                raise ValueError("answered_at is required unless abandoned is true")
            if self.answered_at < self.offered_at:
                raise ValueError("answered_at is before offered_at")
            if self.agent_id is None:
                raise ValueError("agent_id is required unless abandoned is true")
        return self

    @property
    def handle_seconds(self) -> float:
        """Handle time as the KPI defines it: talk + hold + after-contact work."""
        return self.talk_seconds + self.hold_seconds + self.after_contact_work_seconds


class InteractionReported(InteractionCompleted):
    """What a source system sends: the same facts, with the customer in clear."""

    customer: CustomerIdentity | None = None  # type: ignore[assignment]
