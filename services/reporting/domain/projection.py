"""Pure projection logic: scored events → per-interval counter deltas.

Aggregates are additive counters per 15-minute interval x channel x queue x team x agent, so
hour/day and team/queue roll-ups are exact sums. A correction (a newer event for the same
interaction) contributes `new - old`, so corrections change rows instead of adding counts; an
older event arriving after a newer one changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from contracts.scores import InteractionScored
from services.reporting.domain.reading import InteractionScoredView

COUNTERS = (
    "offered",
    "sl_offered",
    "answered",
    "abandoned",
    "answered_within_threshold",
    "wait_answered_s",
    "handled",
    "handle_s",
    "hold_s",
    "transferred",
    "fcr_known",
    "fcr_yes",
    "auto_qa_n",
    "auto_qa_sum",
    "auto_critical_fails",
)


@dataclass(frozen=True, slots=True)
class IntervalKey:
    interval_start: datetime
    channel: str
    queue: str
    team_id: str
    agent_id: str


@dataclass(frozen=True, slots=True)
class InteractionFact:
    """The event-grain row (no free text, customer pseudonymised)."""

    interaction_id: str
    event_id: str
    event_time: datetime
    key: IntervalKey
    counters: tuple[float, ...]  # aligned with COUNTERS


def interval_start(at: datetime, minutes: int = 15) -> datetime:
    return at.replace(minute=at.minute - at.minute % minutes, second=0, microsecond=0)


def fact(
    event_id: str, event_time: datetime, s: InteractionScored | InteractionScoredView
) -> InteractionFact:
    i, op, qa = s.interaction, s.operational, s.auto_qa
    handled = not i.abandoned
    c = dict.fromkeys(COUNTERS, 0.0)
    c["offered"] = 1
    c["sl_offered"] = 1 if op.counts_as_offered else 0
    c["answered"] = 1 if handled else 0
    c["abandoned"] = 1 if i.abandoned else 0
    c["answered_within_threshold"] = 1 if op.answered_within_threshold else 0
    if handled:
        c["wait_answered_s"] = i.wait_seconds
        c["handled"] = 1
        c["handle_s"] = op.handle_seconds
        c["hold_s"] = i.hold_seconds
        c["transferred"] = 1 if i.transferred else 0
        if i.resolved_first_contact is not None:
            c["fcr_known"] = 1
            c["fcr_yes"] = 1 if i.resolved_first_contact else 0
    if qa is not None:
        c["auto_qa_n"] = 1
        c["auto_qa_sum"] = qa.score
        c["auto_critical_fails"] = 1 if qa.critical_failed else 0
    # Interactions land in the interval they were offered in, however late they arrive.
    key = IntervalKey(
        interval_start(i.offered_at), i.channel.value, i.queue, i.team_id or "", i.agent_id or ""
    )
    return InteractionFact(
        i.interaction_id, event_id, event_time, key, tuple(c[n] for n in COUNTERS)
    )


def _newer(a: InteractionFact, b: InteractionFact) -> bool:
    return (a.event_time, a.event_id) > (b.event_time, b.event_id)


def reconcile(
    incoming: Iterable[InteractionFact], stored: Mapping[str, InteractionFact]
) -> tuple[list[InteractionFact], dict[IntervalKey, list[float]]]:
    """The facts to write (newest per interaction) and the counter deltas per interval key."""
    winners: dict[str, InteractionFact] = {}
    for f in incoming:
        best = winners.get(f.interaction_id) or stored.get(f.interaction_id)
        if best is None or _newer(f, best):
            winners[f.interaction_id] = f
    deltas: dict[IntervalKey, list[float]] = {}
    for iid, f in winners.items():
        _add(deltas, f.key, f.counters, 1)
        if (old := stored.get(iid)) is not None:
            _add(deltas, old.key, old.counters, -1)
    return list(winners.values()), {k: v for k, v in deltas.items() if any(v)}


def _add(
    acc: dict[IntervalKey, list[float]], key: IntervalKey, counters: tuple[float, ...], sign: int
) -> None:
    row = acc.setdefault(key, [0.0] * len(COUNTERS))
    for n, value in enumerate(counters):
        row[n] += sign * value
