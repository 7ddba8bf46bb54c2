"""Statistics for rules: Wilson intervals, p-chart limits, two-proportion z-tests, checked
against textbook values and properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.actions.domain.stats import p_chart, two_proportion_z, wilson, z_for


def test_wilson_textbook_value() -> None:
    # 8 successes of 10, 95%: Wilson interval (0.490, 0.943) (Newcombe 1998).
    low, high = wilson(8, 10)
    assert low == pytest.approx(0.490, abs=1e-3) and high == pytest.approx(0.943, abs=1e-3)
    assert z_for(0.95) == pytest.approx(1.95996, abs=1e-4)


@given(
    st.integers(0, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
    st.sampled_from([0.8, 0.9, 0.95, 0.99]),
)
def test_wilson_contains_the_estimate_and_narrows_with_confidence(
    xn: tuple[int, int], confidence: float
) -> None:
    x, n = xn
    low, high = wilson(x, n, confidence)
    assert 0 <= low <= high <= 1
    if n:
        assert low - 1e-12 <= x / n <= high + 1e-12
        wider = wilson(x, n, min(0.999, confidence + 0.009))
        assert wider[0] <= low + 1e-12 and wider[1] >= high - 1e-12


def test_p_chart_limits() -> None:
    limits = p_chart(0.1, 100)
    assert limits.upper == pytest.approx(0.1 + 3 * 0.03) and limits.lower == pytest.approx(0.01)
    assert p_chart(0.5, 4).upper == 1.0  # clipped


def test_two_proportion_z_known_value() -> None:
    z, p = two_proportion_z(45, 100, 30, 100)
    assert z == pytest.approx(2.191, abs=1e-3) and p == pytest.approx(0.0285, abs=1e-3)
    assert two_proportion_z(5, 10, 5, 10) == (0.0, 1.0)
