"""Projection: deltas make corrections change rows; late events land in their own interval;
the counters always equal the contributions of the newest fact per interaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from contracts.inbound import inbound_adapter
from contracts.interactions import InteractionCompleted
from contracts.scores import InteractionScored, OperationalResult
from services.reporting.domain.projection import COUNTERS, fact, interval_start, reconcile
from tests import factories as f


def scored(
    wait: float = 10, abandoned: bool = False, offered: datetime = f.T0, iid: str = "int-1"
) -> InteractionScored:
    raw = f.interaction(wait=wait, abandoned=abandoned, offered=offered, interaction_id=iid)
    data = dict(raw["data"])
    i = InteractionCompleted.model_validate(data)
    op = OperationalResult(
        sl_threshold_seconds=20,
        sl_variant="offered",
        counts_as_offered=True,
        answered_within_threshold=not abandoned and wait <= 20,
        handle_seconds=0 if abandoned else i.handle_seconds,
        aht_band=None if abandoned else "normal",
        transferred=False,
        resolved_first_contact=i.resolved_first_contact,
    )
    return InteractionScored(
        source_event_id="e", standard_version="s1", interaction=i, operational=op
    )


def test_interval_start_floors_to_quarter_hours() -> None:
    at = datetime(2026, 1, 1, 10, 44, 59, 999, tzinfo=UTC)
    assert interval_start(at) == datetime(2026, 1, 1, 10, 30, tzinfo=UTC)


def test_late_event_lands_in_its_own_interval() -> None:
    late = fact("e1", f.T0 + timedelta(hours=5), scored(offered=f.T0))
    assert late.key.interval_start == f.T0


def test_correction_changes_rows_instead_of_adding() -> None:
    first = fact("e1", f.T0, scored(wait=10))
    _, _d1 = reconcile([first], {})
    corrected = fact("e2", f.T0 + timedelta(minutes=1), scored(wait=60))
    winners, d2 = reconcile([corrected], {first.interaction_id: first})
    assert winners == [corrected]
    row = d2[first.key]
    assert row[COUNTERS.index("offered")] == 0  # still one contact
    assert row[COUNTERS.index("answered_within_threshold")] == -1  # no longer within 20 s


def test_older_event_after_newer_changes_nothing() -> None:
    newer = fact("e2", f.T0 + timedelta(minutes=1), scored(wait=60))
    older = fact("e1", f.T0, scored(wait=10))
    winners, deltas = reconcile([older], {newer.interaction_id: newer})
    assert winners == [] and deltas == {}


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "c"]), st.integers(0, 50), st.floats(0, 120), st.booleans()
        ),
        min_size=1,
        max_size=30,
    ),
    st.integers(1, 5),
)
def test_counters_equal_newest_facts_whatever_the_batching(
    events: list[tuple[str, int, float, bool]], batches: int
) -> None:
    facts = [
        fact(
            f"e{n}",
            f.T0 + timedelta(seconds=sec),
            scored(wait=w, abandoned=ab, iid=i, offered=f.T0 + timedelta(minutes=15 * (sec % 3))),
        )
        for n, (i, sec, w, ab) in enumerate(events)
    ]
    stored: dict = {}
    totals: dict = {}
    size = max(1, len(facts) // batches)
    for start in range(0, len(facts), size):
        winners, deltas = reconcile(facts[start : start + size], stored)
        for k, row in deltas.items():
            acc = totals.setdefault(k, [0.0] * len(COUNTERS))
            for n, v in enumerate(row):
                acc[n] += v
        stored.update({w.interaction_id: w for w in winners})
    expected: dict = {}
    for newest in stored.values():
        acc = expected.setdefault(newest.key, [0.0] * len(COUNTERS))
        for n, v in enumerate(newest.counters):
            acc[n] += v
    keys = set(totals) | set(expected)
    for k in keys:
        got = totals.get(k, [0.0] * len(COUNTERS))
        want = expected.get(k, [0.0] * len(COUNTERS))
        assert all(abs(a - b) < 1e-6 for a, b in zip(got, want, strict=True))


def test_factory_event_is_valid_inbound() -> None:
    assert inbound_adapter.validate_python(f.interaction(abandoned=True)).data.abandoned
