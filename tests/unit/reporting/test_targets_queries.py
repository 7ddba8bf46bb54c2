"""Pure pieces of the write and read sides: the latest target per scope and KPI, CSV text,
and the KPI query builder's scope, bucket and filter SQL."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from services.reporting.domain.export import FORMULA_STARTS, to_csv
from services.reporting.domain.reading import InteractionScoredViewEvent
from services.reporting.domain.targets import latest_targets
from services.reporting.read.store.kpis import by_period, grouped, period

T0 = datetime(2026, 11, 21, 9, tzinfo=UTC)


def view(queue: str, at: datetime, sl: float | None, fcr: float | None) -> Any:
    return InteractionScoredViewEvent.model_validate(
        {
            "id": f"e-{queue}-{at:%H%M}",
            "source": "/test",
            "time": at.isoformat(),
            "data": {
                "interaction": {
                    "interaction_id": "i1",
                    "channel": "voice",
                    "queue": queue,
                    "offered_at": at.isoformat(),
                    "wait_seconds": 5,
                },
                "operational": {
                    "counts_as_offered": True,
                    "answered_within_threshold": True,
                    "handle_seconds": 60,
                    "sl_target_percent": sl,
                    "fcr_target_percent": fcr,
                },
            },
        }
    )


def test_latest_target_wins_per_scope_and_kpi_whatever_the_order() -> None:
    later = T0 + timedelta(hours=1)
    events = [
        view("billing", later, 85, 70),
        view("billing", T0, 80, 75),
        view("sales", T0, 90, None),
    ]
    got = latest_targets(events)
    assert got[("queue", "billing", "service_level_pct")] == (85, later)
    assert got[("queue", "sales", "service_level_pct")] == (90, T0)
    assert got[("all", "", "fcr_pct")] == (70, later)  # the newer statement, not the last seen
    assert ("queue", "billing", "abandonment_pct") not in got  # never stated
    assert latest_targets([object()]) == {}


def test_csv_has_a_header_then_a_line_per_row() -> None:
    rows = [{"a": 1, "b": "x,y"}, {"a": 2, "b": None}]
    assert list(csv.reader(io.StringIO(to_csv(rows)))) == [["a", "b"], ["1", "x,y"], ["2", ""]]
    assert to_csv([]) == ""


def test_kpi_builder_buckets_groups_and_filters_once() -> None:
    assert period("15min", "interval_start", binned=True) == "interval_start"
    assert period("15min", "responded_at").startswith("date_bin('15 minutes', responded_at")
    assert period("day", "raised_at") == "date_trunc('day', raised_at)"
    keys = by_period("hour", "team", "evaluated_at")
    assert keys == ["date_trunc('hour', evaluated_at) AS period", "team_id AS scope_id"]
    sql = " ".join(grouped("t", "evaluated_at", keys, "count(*) AS n", "x").split())
    assert "WHERE x AND ($1::timestamptz IS NULL OR evaluated_at >= $1)" in sql
    assert "($5::text IS NULL OR agent_id = $5)" in sql
    assert sql.endswith("GROUP BY 1, 2")


@given(st.text(), st.sampled_from(["=", "+", "-", "@", "\t", "\r", ""]))
def test_no_csv_cell_starts_a_formula(text: str, start: str) -> None:
    rows = [{"summary": start + text, "observed": -3.5, "n": -2}]
    parsed = list(csv.reader(io.StringIO(to_csv(rows), newline="")))
    cell, value = parsed[1][0], start + text
    assert not cell.startswith(FORMULA_STARTS)
    assert cell == ("'" + value if value.startswith(FORMULA_STARTS) else value)
    assert parsed[1][1:] == ["-3.5", "-2"]  # numbers are not text: left as they are
