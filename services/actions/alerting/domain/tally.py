"""What one batch of scored events adds to the alert counters, and the complaint-spike
judgement on a category's day. Pure; the store adds the increments to what it holds."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from contracts.actions import AlertRaised
from contracts.events import ComplaintScoredEvent, InteractionScoredEvent
from services.actions.alerting.domain.alerts import (
    QueueInterval,
    critical_alert,
    is_spike,
    spike_alert,
)
from services.actions.domain.trust import trusted

SPIKE_HISTORY = timedelta(days=14)  # the baseline a day's complaints are compared with


@dataclass(frozen=True, slots=True)
class ComplaintDay:
    category: str
    day: datetime  # midnight (aware) of the day the complaints were raised
    complaints: int


@dataclass(frozen=True, slots=True)
class Tally:
    """A batch's increments per queue interval (carrying the latest event's targets), its
    complaints per category and day, and the critical breaches it holds (from verified or
    ungated automated answers only), in event order."""

    intervals: tuple[QueueInterval, ...]
    complaints: tuple[ComplaintDay, ...]
    critical: tuple[AlertRaised, ...]


def interval_start(at: datetime) -> datetime:
    """The start of the 15-minute interval holding `at`."""
    return at.replace(minute=at.minute - at.minute % 15, second=0, microsecond=0)


def tally(events: Iterable[object]) -> Tally:
    intervals: dict[tuple[str, datetime], QueueInterval] = {}
    complaints: dict[tuple[str, datetime], int] = {}
    critical: list[AlertRaised] = []
    for e in events:
        if isinstance(e, InteractionScoredEvent):
            i, op = e.data.interaction, e.data.operational
            key = (i.queue, interval_start(i.offered_at))
            seen = intervals.get(key) or QueueInterval(*key, 0, 0, 0, 0, None, None)
            intervals[key] = replace(
                seen,
                offered=seen.offered + op.counts_as_offered,
                within=seen.within + (op.answered_within_threshold and op.counts_as_offered),
                all_offered=seen.all_offered + 1,
                abandoned=seen.abandoned + i.abandoned,
                sl_target=op.sl_target_percent,
                abandonment_target=op.abandonment_target_percent,
            )
            qa = e.data.auto_qa  # an unverified automated answer breaches nothing
            if qa is not None and i.agent_id and trusted(qa).critical_failed:
                critical.append(critical_alert(i.agent_id, i.team_id, i.interaction_id, i.ended_at))
        elif isinstance(e, ComplaintScoredEvent):
            c = e.data.complaint
            day = c.raised_at.replace(hour=0, minute=0, second=0, microsecond=0)
            complaints[(c.category, day)] = complaints.get((c.category, day), 0) + 1
    return Tally(
        tuple(intervals.values()),
        tuple(ComplaintDay(cat, day, n) for (cat, day), n in complaints.items()),
        tuple(critical),
    )


def spike_baseline(day: date, history: Mapping[date, int]) -> list[int]:
    """Complaints per earlier day, from the first day with any (days without any count 0)."""
    first = min(history, default=day)
    days = max(1, (day - first).days)
    return list(history.values()) + [0] * (days - len(history))


def complaint_spike(
    c: ComplaintDay, total: int, history: Mapping[date, int], confidence: float, min_count: int
) -> AlertRaised | None:
    """A spike alert when the day's `total` is above what the category's history explains."""
    baseline = spike_baseline(c.day.date(), history)
    if not is_spike(total, baseline, confidence, min_count):
        return None
    return spike_alert(c.category, c.day, total, sum(baseline) / len(baseline))
