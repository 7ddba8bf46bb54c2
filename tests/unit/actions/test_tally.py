"""What a batch adds to the alert counters (named, typed counts instead of positional ones):
per queue interval, additive across any batch split (so batch boundaries never matter once the
store adds them up); complaint days; the spike baseline from a category's history."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from services.actions.alerting.domain.alerts import QueueInterval
from services.actions.alerting.domain.tally import (
    ComplaintDay,
    complaint_spike,
    interval_start,
    spike_baseline,
    tally,
)
from tests.factories import T0
from tests.fakes_actions import complaint_scored, interaction_scored


def added(parts: list[tuple[QueueInterval, ...]]) -> dict[tuple[str, object], QueueInterval]:
    """The store's accumulation of increments (targets: the latest)."""
    held: dict[tuple[str, object], QueueInterval] = {}
    for part in parts:
        for i in part:
            key = (i.queue, i.interval_start)
            if key in held:
                h = held[key]
                i = replace(
                    i,
                    offered=h.offered + i.offered,
                    within=h.within + i.within,
                    all_offered=h.all_offered + i.all_offered,
                    abandoned=h.abandoned + i.abandoned,
                )
            held[key] = i
    return held


contacts = st.lists(
    st.builds(
        interaction_scored,
        queue=st.sampled_from(["q0", "q1"]),
        offered=st.integers(0, 7200).map(lambda s: T0 + timedelta(seconds=s)),
        wait=st.floats(0, 60),
        abandoned=st.booleans(),
        targets=st.sampled_from([(80.0, 5.0), (90.0, 3.0)]),
    ),
    max_size=40,
)


@settings(max_examples=40, deadline=None)
@given(contacts, st.integers(0, 40))
def test_interval_counts_add_up_whatever_the_batch_split(events: list[object], cut: int) -> None:
    whole = tally(events).intervals
    assert added([whole]) == added([tally(events[:cut]).intervals, tally(events[cut:]).intervals])
    assert sum(i.all_offered for i in whole) == len(events)
    for i in whole:
        assert 0 <= i.within <= i.offered <= i.all_offered and i.abandoned <= i.all_offered
        assert i.interval_start.minute % 15 == 0 and i.interval_start.second == 0


def test_critical_breaches_and_complaint_days_are_named() -> None:
    late = T0 + timedelta(hours=5, minutes=7)
    t = tally(
        [
            interaction_scored(agent="a1", critical_failed=True, offered=late),
            complaint_scored("billing", T0),
            complaint_scored("billing", late),
            complaint_scored("billing", T0 - timedelta(days=1)),
        ]
    )
    assert [a.kind for a in t.critical] == ["critical_breach"] and t.critical[0].scope.id == "a1"
    midnight = T0.replace(hour=0)
    assert t.complaints == (
        ComplaintDay("billing", midnight, 2),
        ComplaintDay("billing", midnight - timedelta(days=1), 1),
    )
    assert interval_start(late) == T0 + timedelta(hours=5)


def test_spike_baseline_counts_quiet_days_from_the_first_with_complaints() -> None:
    day = T0.date()
    history = {day - timedelta(days=3): 2, day - timedelta(days=1): 1}
    assert sorted(spike_baseline(day, history)) == [0, 1, 2]
    assert spike_baseline(day, {}) == [0]
    quiet = {day - timedelta(days=d): 1 for d in range(1, 8)}
    today = ComplaintDay("billing", T0.replace(hour=0), 12)
    spike = complaint_spike(today, 12, quiet, confidence=0.99, min_count=5)
    assert spike is not None and spike.kind == "complaint_spike" and spike.target == 1.0
    assert complaint_spike(today, 2, quiet, confidence=0.99, min_count=5) is None
