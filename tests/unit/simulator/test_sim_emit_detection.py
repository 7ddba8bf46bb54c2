"""Pacing of the emitter and scoring against the ground truth (pure parts)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts import topics
from contracts.inbound import inbound_adapter
from simulator.day import simulate
from simulator.detection import Raised, evaluate
from simulator.emit import (
    batches,
    over_http,
    parse_speed,
    raw_record,
    retry_delay,
    schedule,
)
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


def test_retry_delay_honours_retry_after_else_backs_off() -> None:
    assert retry_delay("3", 0) == 3.0 and retry_delay("0", 5) == 0.0
    assert retry_delay(None, 0) == 0.5 and retry_delay(None, 2) == 2.0
    assert retry_delay(None, 20) == 30.0  # capped
    assert retry_delay("Wed, 21 Oct 2026 07:28:00 GMT", 1) == 1.0  # not seconds: back off


async def test_http_sends_batches_and_resends_after_503_and_connection_errors() -> None:
    events = simulate(5, T0.date(), scale=0.3, history_days=0).events
    assert len(events) > 1000  # at least two batches
    seen: list[int] = []
    calls = {"n": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        assert request.url.path == "/v1/events/batch"
        assert request.headers["authorization"] == "Bearer k"
        if calls["n"] == 1:
            return httpx.Response(503, headers={"Retry-After": "0"}, json={"errors": []})
        if calls["n"] == 2:
            raise httpx.ConnectError("refused", request=request)
        batch = json.loads(request.content)
        seen.append(len(batch))
        results = [{"index": i, "id": e["id"], "status": "accepted"} for i, e in enumerate(batch)]
        return httpx.Response(200, json={"accepted": len(batch), "rejected": 0, "results": results})

    sent = await over_http(
        events, T0, None, "http://ingest", "k", transport=httpx.MockTransport(handler)
    )
    assert sent.accepted == len(events) == sum(seen) and sent.rejected == 0
    assert max(seen) <= 1000 and calls["n"] == len(seen) + 2
    assert sum(sent.by_type.values()) == len(events)


def test_raw_records_go_to_the_family_topic_keyed_for_order() -> None:
    events = simulate(5, T0.date(), scale=0.1, history_days=1).events
    for e in events:
        topic, key, value = raw_record(e)
        assert topic in {t.name for t in topics.RAW}
        assert topic.removeprefix("raw.").startswith(e["type"].split(".")[2])
        assert inbound_adapter.validate_json(value).id == e["id"]
        if ".complaint." in e["type"]:
            assert key == e["data"]["complaint_id"].encode()
