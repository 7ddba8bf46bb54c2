"""Complaint lifecycle events: raised, updated, resolved (keyed by complaint id for order)."""

from __future__ import annotations

from enum import StrEnum

from contracts.common import (
    AwareDatetime,
    Channel,
    CustomerIdentity,
    CustomerPseudonym,
    FreeText,
    Frozen,
    Id,
    Name,
    Severity,
)


class ComplaintStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    INVESTIGATING = "investigating"
    RESOLVED = "resolved"


class ComplaintOutcome(StrEnum):
    UPHELD = "upheld"
    PARTIALLY_UPHELD = "partially_upheld"
    NOT_UPHELD = "not_upheld"


class ComplaintRaised(Frozen):
    complaint_id: Id
    category: Name
    severity: Severity = Severity.MEDIUM
    channel: Channel
    interaction_id: Id | None = None
    agent_id: Id | None = None
    team_id: Id | None = None
    queue: Id | None = None
    customer: CustomerPseudonym | None = None
    description: FreeText | None = None
    raised_at: AwareDatetime


class ComplaintUpdated(Frozen):
    complaint_id: Id
    status: ComplaintStatus
    severity: Severity | None = None
    category: Name | None = None
    note: FreeText | None = None
    root_cause: Name | None = None
    updated_at: AwareDatetime


class ComplaintResolved(Frozen):
    complaint_id: Id
    outcome: ComplaintOutcome
    root_cause: Name | None = None
    resolution: FreeText | None = None
    resolved_at: AwareDatetime


class ComplaintReported(ComplaintRaised):
    customer: CustomerIdentity | None = None  # type: ignore[assignment]
