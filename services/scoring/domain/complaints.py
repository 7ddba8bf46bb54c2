"""A raised complaint against the complaint-handling targets: severity and deadlines."""

from __future__ import annotations

from datetime import datetime, timedelta

from contracts.complaints import ComplaintRaised
from services.scoring.domain.standards import Standard


def deadlines(c: ComplaintRaised, standard: Standard) -> tuple[datetime, datetime]:
    """(acknowledge by, resolve by): severity overrides the default resolution target."""
    targets = standard.complaints
    days = targets.resolve_within_days_by_severity.get(c.severity, targets.resolve_within_days)
    return (
        c.raised_at + timedelta(hours=targets.acknowledge_within_hours),
        c.raised_at + timedelta(days=days),
    )
