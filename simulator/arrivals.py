"""Arrivals: a time-varying Poisson process following an intraday curve; waits from how loaded
each interval is. Pure (a seeded numpy Generator is passed in)."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import numpy as np

INTERVAL_S = 900


def curve(at: datetime) -> float:
    """Relative demand by time of day: a morning peak (~10:30) and an early-afternoon one
    (~14:00) over a base, the usual shape of a service contact centre."""
    h = at.hour + at.minute / 60 + 7.5 / 60  # interval midpoint
    morning = math.exp(-(((h - 10.5) / 1.3) ** 2))
    afternoon = 0.8 * math.exp(-(((h - 14.0) / 1.6) ** 2))
    return 0.35 + morning + afternoon


def expected_per_interval(intervals: list[datetime], daily: float) -> list[float]:
    weights = [curve(t) for t in intervals]
    total = sum(weights)
    return [daily * w / total for w in weights]


def arrivals(rng: np.random.Generator, start: datetime, mean: float) -> list[datetime]:
    """Poisson count in the interval, uniform times within it (a Poisson process)."""
    n = int(rng.poisson(mean))
    offsets = np.sort(rng.uniform(0, INTERVAL_S, n))
    return [start + timedelta(seconds=float(s)) for s in offsets]


def occupancy(mean_arrivals: float, mean_handle_s: float, staffed: float) -> float:
    """Offered load over staffed capacity in the interval (rho)."""
    return mean_arrivals * mean_handle_s / max(staffed * INTERVAL_S, 1.0)


def mean_wait_s(rho: float, scale_s: float) -> float:
    """Queueing delay grows like rho / (1 - rho) (M/M/1-like); past saturation, it is capped at
    what a busy interval's backlog gives."""
    if rho >= 0.95:
        return scale_s * 40 * min(rho, 2.0)
    return scale_s * rho / (1 - rho)


def staffing(mean_arrivals: float, mean_handle_s: float, target_rho: float = 0.5) -> float:
    """Agents planned for the interval: enough to keep occupancy near the target (0.5 keeps an
    ordinary interval above 80/20 when demand runs over forecast, so only a cut alerts)."""
    return mean_arrivals * mean_handle_s / (INTERVAL_S * target_rho)
