"""The trust gate's statistics against references: Cohen's kappa and its large-sample SE
against published values (vcd's `Kappa(SexualFun)`, Fleiss's diagnosis table) and, on
generated tables, against an independent computation — kappa from its definition with numpy,
its variance by the multinomial delta method with a numerical gradient; Wilson intervals
against scipy; the interval's coverage by simulation; false-pass and false-fail counts."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest

from services.scoring.domain.agreement import Pair, agreement, cohen_kappa, wilson
from tests.factories import T0


def counter(table: list[list[int]]) -> Counter[tuple[str, str]]:
    return Counter(
        {(str(i), str(j)): v for i, row in enumerate(table) for j, v in enumerate(row) if v}
    )


def reference_kappa(p: np.ndarray) -> float:
    """Kappa from its definition on a matrix of cell proportions (rows: rater A)."""
    p = p / p.sum()
    po = np.trace(p)
    pe = float(p.sum(axis=1) @ p.sum(axis=0))
    return float((po - pe) / (1 - pe))


def reference_se(table: np.ndarray) -> float:
    """Delta method: Var(kappa) ≈ g' (diag(p) - p p') g / n, g = d kappa / d p numerically
    (kappa as a function of the cell proportions, renormalised to sum to 1)."""
    n = table.sum()
    p = (table / n).ravel()
    k = table.shape[0]

    def f(q: np.ndarray) -> float:
        return reference_kappa(q.reshape(k, k))

    h = 1e-6
    g = np.array([(f(p + h * e) - f(p - h * e)) / (2 * h) for e in np.eye(p.size)])
    cov = np.diag(p) - np.outer(p, p)
    return float(np.sqrt(max(0.0, g @ cov @ g) / n))


def test_published_values() -> None:
    # Husband x wife ratings (Hout et al.), R vcd: Kappa(SexualFun) unweighted 0.1293, ASE 0.0686.
    sexual_fun = [[7, 7, 2, 3], [2, 8, 3, 7], [1, 5, 4, 9], [2, 8, 9, 14]]
    k = cohen_kappa(counter(sexual_fun))
    assert k is not None
    assert k.kappa == pytest.approx(0.1293, abs=5e-5)
    assert k.se == pytest.approx(0.0686, abs=5e-5)
    # Fleiss, Levin & Paik, diagnoses of 100 patients by two raters: p_o .89, p_e .66, kappa .68.
    diagnoses = [[75, 1, 4], [5, 4, 1], [0, 0, 10]]
    k = cohen_kappa(counter(diagnoses))
    assert k is not None
    assert (k.observed, k.chance) == (pytest.approx(0.89), pytest.approx(0.66))
    assert k.kappa == pytest.approx(0.6765, abs=5e-5)


tables = st.integers(2, 3).flatmap(
    lambda k: st.lists(st.lists(st.integers(0, 60), min_size=k, max_size=k), min_size=k, max_size=k)
)


@settings(max_examples=150, deadline=None)
@given(tables)
def test_kappa_and_its_se_match_an_independent_computation(table: list[list[int]]) -> None:
    m = np.array(table, dtype=float)
    if m.sum() < 2:
        return
    p = m / m.sum()
    pe = float(p.sum(axis=1) @ p.sum(axis=0))
    k = cohen_kappa(counter(table))
    if pe > 1 - 1e-9:  # one answer throughout on both sides: undefined
        assert k is None
        return
    assert k is not None
    assert k.kappa == pytest.approx(reference_kappa(m), abs=1e-9)
    assert k.se == pytest.approx(reference_se(m), abs=1e-5)
    # Swapping the raters changes neither kappa nor its SE.
    swapped = cohen_kappa(counter(m.T.astype(int).tolist()))
    assert swapped is not None
    assert (swapped.kappa, swapped.se) == (pytest.approx(k.kappa), pytest.approx(k.se))


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 400).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_matches_scipy(xn: tuple[int, int]) -> None:
    x, n = xn
    for confidence in (0.9, 0.95, 0.99):
        ref = binomtest(x, n).proportion_ci(confidence_level=confidence, method="wilson")
        low, high = wilson(x, n, confidence)
        assert (low, high) == (pytest.approx(ref.low, abs=1e-9), pytest.approx(ref.high, abs=1e-9))


def test_kappa_interval_covers_the_true_kappa_about_95_percent_of_the_time() -> None:
    """Simulation, fixed seed: 400 windows of 200 pairs drawn from a known table."""
    cells = [("yes", "yes"), ("yes", "no"), ("no", "yes"), ("no", "no")]
    probs = [0.55, 0.07, 0.08, 0.30]
    true = reference_kappa(np.array(probs).reshape(2, 2))
    rng = random.Random(13)
    covered = 0
    for _ in range(400):
        drawn = rng.choices(cells, probs, k=200)
        a = agreement([Pair(x, y, T0) for x, y in drawn])
        assert a.kappa_low is not None and a.kappa_high is not None
        covered += a.kappa_low <= true <= a.kappa_high
    assert 0.92 <= covered / 400 <= 0.98


def test_agreement_counts_false_passes_and_fails_with_intervals() -> None:
    pairs = [("yes", "yes")] * 40 + [("yes", "no")] * 5 + [("no", "yes")] * 10 + [("no", "no")] * 45
    a = agreement([Pair(x, y, T0 + timedelta(minutes=i)) for i, (x, y) in enumerate(pairs)])
    assert a.pairs == 100 and a.observed_agreement == pytest.approx(0.85)
    assert (a.human_no, a.false_pass, a.false_pass_rate) == (50, 5, pytest.approx(0.1))
    assert (a.human_yes, a.false_fail, a.false_fail_rate) == (50, 10, pytest.approx(0.2))
    assert (a.false_pass_low, a.false_pass_high) == tuple(pytest.approx(v) for v in wilson(5, 50))
    assert (a.false_fail_low, a.false_fail_high) == tuple(pytest.approx(v) for v in wilson(10, 50))
    assert a.kappa == pytest.approx(0.7)  # p_o .85, p_e .5
    assert a.kappa_low is not None and a.kappa_high is not None and a.kappa_se is not None
    assert a.kappa_low == pytest.approx(0.7 - 1.959964 * a.kappa_se)
    assert a.kappa_low < 0.7 < a.kappa_high
    assert (a.first_at, a.last_at) == (T0, T0 + timedelta(minutes=99))


def test_perfect_agreement_is_certain_and_one_answer_throughout_is_undefined() -> None:
    perfect = agreement([Pair("yes", "yes", T0)] * 10 + [Pair("no", "no", T0)] * 10)
    assert (perfect.kappa, perfect.kappa_se, perfect.kappa_low) == (1.0, 0.0, 1.0)
    constant = agreement([Pair("yes", "yes", T0)] * 30)
    assert constant.kappa is None and constant.kappa_low is None
    assert constant.false_pass_rate is None  # no human "no" to err on
    assert agreement([]).pairs == 0
