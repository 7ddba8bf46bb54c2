"""The statistics behind the rules: intervals and control limits for proportions. Pure.

Normal quantiles come from the standard library (`statistics.NormalDist`), so these small,
exact formulas need no numeric stack.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

_N = NormalDist()


def z_for(confidence: float, two_sided: bool = True) -> float:
    tail = (1 - confidence) / 2 if two_sided else 1 - confidence
    return _N.inv_cdf(1 - tail)


def wilson(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion (good at small n and near 0 or 1)."""
    if n == 0:
        return 0.0, 1.0
    z = z_for(confidence)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True, slots=True)
class ControlLimits:
    centre: float
    lower: float
    upper: float


def p_chart(baseline_rate: float, n: int, sigmas: float = 3.0) -> ControlLimits:
    """p-chart limits for a sample of size n around the scope's own baseline rate."""
    sd = math.sqrt(baseline_rate * (1 - baseline_rate) / n) if n else 0.0
    return ControlLimits(
        baseline_rate, max(0.0, baseline_rate - sigmas * sd), min(1.0, baseline_rate + sigmas * sd)
    )


def two_proportion_z(x1: int, n1: int, x2: int, n2: int) -> tuple[float, float]:
    """(z, two-sided p-value) for H0: p1 == p2, pooled standard error."""
    if n1 == 0 or n2 == 0:
        return 0.0, 1.0
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return 0.0, 1.0
    z = (x1 / n1 - x2 / n2) / se
    return z, 2 * (1 - _N.cdf(abs(z)))
