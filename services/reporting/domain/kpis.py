"""KPIs from summed interval counters, with Wilson intervals and sample sizes for every KPI
that is a sample proportion. Pure."""

from __future__ import annotations

import math
from collections.abc import Mapping
from statistics import NormalDist
from typing import Any

Z95 = NormalDist().inv_cdf(0.975)

# name: (numerator counter, denominator counter) — see definitions.KPI for the formulas.
PROPORTIONS = {
    "service_level_pct": ("answered_within_threshold", "sl_offered"),
    "abandonment_pct": ("abandoned", "offered"),
    "fcr_pct": ("fcr_yes", "fcr_known"),
    "transfer_pct": ("transferred", "handled"),
}
MEANS = {
    "asa_seconds": ("wait_answered_s", "answered"),
    "aht_seconds": ("handle_s", "handled"),
    "hold_seconds_avg": ("hold_s", "handled"),
    "auto_qa_score": ("auto_qa_sum", "auto_qa_n"),
}


def wilson(successes: float, n: float, z: float = Z95) -> tuple[float, float] | None:
    if n <= 0:
        return None
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def kpi_row(c: Mapping[str, Any]) -> dict[str, Any]:
    """Counters (summed over any grouping) → KPI values, n, and 95% Wilson intervals (%)."""
    out: dict[str, Any] = {
        k: int(c[k]) for k in ("offered", "answered", "abandoned", "answered_within_threshold")
    }
    for name, (num, den) in PROPORTIONS.items():
        n = float(c[den] or 0)
        ci = wilson(float(c[num] or 0), n)
        out[name] = round(100 * float(c[num]) / n, 2) if n else None
        out[name.removesuffix("_pct") + "_n"] = int(n)
        out[name.removesuffix("_pct") + "_ci95"] = (
            [round(100 * ci[0], 2), round(100 * ci[1], 2)] if ci else None
        )
    for name, (total, den) in MEANS.items():
        n = float(c[den] or 0)
        out[name] = round(float(c[total]) / n, 2) if n else None
    out["critical_fails"] = int(c["auto_critical_fails"])
    return out


def experience_row(c: Mapping[str, Any]) -> dict[str, Any]:
    """Survey, human-QA and complaint aggregates → CSAT % (n, Wilson 95%), NPS, CES, QA score,
    complaints per 1,000 contacts and mean resolution hours (definitions.KPI)."""
    csat_n = int(c["csat_n"] or 0)
    ci = wilson(float(c["csat_top2"] or 0), csat_n)
    nps_n = int(c["nps_n"] or 0)
    offered = float(c["offered"] or 0)
    complaints = int(c["complaints"] or 0)
    return {
        "csat_pct": round(100 * float(c["csat_top2"]) / csat_n, 2) if csat_n else None,
        "csat_n": csat_n,
        "csat_ci95": [round(100 * ci[0], 2), round(100 * ci[1], 2)] if ci else None,
        "nps": round(100 * (float(c["promoters"]) - float(c["detractors"])) / nps_n, 2)
        if nps_n
        else None,
        "nps_n": nps_n,
        "ces": round(float(c["ces_avg"]), 2) if c["ces_avg"] is not None else None,
        "qa_score": round(float(c["qa_avg"]), 2) if c["qa_avg"] is not None else None,
        "qa_n": int(c["qa_n"] or 0),
        "qa_critical_fails": int(c["qa_critical"] or 0),
        "complaints": complaints,
        "contacts": int(offered),
        "complaints_per_1000": round(1000 * complaints / offered, 2) if offered else None,
        "complaint_resolution_hours": round(float(c["resolution_h"]), 1)
        if c["resolution_h"] is not None
        else None,
    }
