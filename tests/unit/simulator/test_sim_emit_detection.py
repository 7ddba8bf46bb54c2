"""Pacing of the emitter and scoring against the ground truth (pure parts)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.detection import Raised, evaluate
from simulator.emit import batches, parse_speed, schedule
from simulator.scenarios import Scenarios, ground_truth

T0 = datetime(2026, 11, 20, 8, tzinfo=UTC)


def test_speed_control() -> None:
    times = [T0 - timedelta(days=2), T0, T0 + timedelta(hours=1), T0 + timedelta(hours=2)]
    assert schedule(times, T0, parse_speed("max")) == [0, 0, 0, 0]
    assert schedule(times, T0, parse_speed("realtime")) == [0, 0, 3600, 7200]
    assert schedule(times, T0, parse_speed("60")) == [0, 0, 60, 120]
    with pytest.raises(ValueError):
        parse_speed("0")


@given(st.lists(st.floats(0, 1000), max_size=300), st.integers(1, 50))
def test_batches_cover_every_event_once_in_order(due: list[float], size: int) -> None:
    due = sorted(due)
    runs = batches(due, size)
    assert [i for _, a, b in runs for i in range(a, b)] == list(range(len(due)))
    assert all(b - a <= size for _, a, b in runs)
    assert all(due[a] == at for at, a, _ in runs)


TRUTH = ground_truth(Scenarios(), 7, T0.date(), ["agent:east-2", "complaint_category:data-privacy"])
ALL_FOUND = [
    Raised("action", "improvement", "team:team-north", "summary-missing-pattern"),
    Raised("action", "coaching", "agent:south-3", "summary-missing-pattern"),
    Raised("alert", "service_level", "queue:billing", None, "2026-11-20T10:30:00+00:00"),
    Raised("alert", "abandonment", "queue:billing", None, "2026-11-20T10:30:00+00:00"),
    Raised("alert", "complaint_spike", "complaint_category:billing-error"),
    Raised("action", "improvement", "complaint_category:billing-error", "complaint-spike"),
]


def test_everything_found_nothing_else() -> None:
    d = evaluate(TRUTH, ALL_FOUND)
    assert d.recall == 1.0 and d.precision == 1.0 and not d.false_positives


def test_wrong_scope_is_a_miss_and_a_false_positive() -> None:
    wrong = [r for r in ALL_FOUND if r.scope != "team:team-north"] + [
        Raised("action", "coaching", "agent:north-1", "summary-missing-pattern")
    ]
    d = evaluate(TRUTH, wrong)
    assert d.recall == 4 / 5 and d.precision == 5 / 6
    assert [str(r) for r in d.false_positives] == [
        "action coaching agent:north-1 (summary-missing-pattern)"
    ]


def test_noise_and_alerts_outside_the_interval_count_against() -> None:
    noisy = [
        *ALL_FOUND,
        Raised("action", "coaching", "agent:east-2", "critical-breach"),
        Raised("alert", "service_level", "queue:billing", None, "2026-11-20T15:00:00+00:00"),
    ]
    d = evaluate(TRUTH, noisy)
    assert [r.scope for r in d.noise_hits] == ["agent:east-2"]
    assert len(d.false_positives) == 2
