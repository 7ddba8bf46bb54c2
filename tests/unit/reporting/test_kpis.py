"""KPI rows from counters: formulas, sample sizes and Wilson intervals."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.reporting.domain.kpis import kpi_row, wilson
from services.reporting.domain.projection import COUNTERS


def counters(**kw: float) -> dict[str, float]:
    return dict.fromkeys(COUNTERS, 0.0) | kw


def test_kpis_and_intervals() -> None:
    row = kpi_row(
        counters(
            offered=100,
            sl_offered=95,
            answered=90,
            abandoned=10,
            answered_within_threshold=76,
            handled=90,
            handle_s=27_000,
            wait_answered_s=900,
            fcr_known=80,
            fcr_yes=60,
            transferred=9,
        )
    )
    assert row["service_level_pct"] == 80.0 and row["service_level_n"] == 95
    low, high = row["service_level_ci95"]
    assert low < 80 < high and high - low < 20
    assert row["abandonment_pct"] == 10.0 and row["aht_seconds"] == 300.0
    assert row["asa_seconds"] == 10.0 and row["fcr_pct"] == 75.0 and row["transfer_pct"] == 10.0


def test_empty_denominators_are_none_not_zero() -> None:
    row = kpi_row(counters())
    assert row["service_level_pct"] is None and row["service_level_ci95"] is None
    assert row["aht_seconds"] is None


@given(st.integers(0, 1000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_contains_the_estimate(xn: tuple[int, int]) -> None:
    x, n = xn
    ci = wilson(x, n)
    if n == 0:
        assert ci is None
    else:
        assert ci is not None and ci[0] - 1e-12 <= x / n <= ci[1] + 1e-12


def test_wilson_textbook() -> None:
    ci = wilson(8, 10)
    assert ci is not None and ci[0] == pytest.approx(0.490, abs=1e-3)
