"""Krippendorff's alpha written here from its definition (coincidence matrix, nominal metric),
an independent reference for scoring's calibration statistics."""

from __future__ import annotations

import math
from collections import Counter
from itertools import permutations


def reference_alpha(matrix: list[list[float]]) -> float:
    """alpha = 1 - D_o / D_e from the coincidence matrix (Krippendorff 2011, nominal)."""
    coincidences: Counter[tuple[float, float]] = Counter()
    for unit in zip(*matrix, strict=True):
        values = [v for v in unit if not math.isnan(v)]
        m = len(values)
        if m < 2:
            continue
        for a, b in permutations(range(m), 2):
            coincidences[(values[a], values[b])] += 1 / (m - 1)
    n_c: Counter[float] = Counter()
    for (c, _), w in coincidences.items():
        n_c[c] += w
    n = sum(n_c.values())
    observed = sum(w for (c, k), w in coincidences.items() if c != k)
    expected = sum(n_c[c] * n_c[k] for c in n_c for k in n_c if c != k) / (n - 1)
    return 1 - observed / expected
