"""The operations dashboard's reading of KPIs against targets. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

Status = Literal["ok", "at_risk", "breach", "no_data", "no_target"]
LOWER_IS_BETTER = frozenset({"abandonment_pct"})
AT_RISK_MARGIN = 5.0  # percentage points from the target


def status(kpi: str, value: float | None, target: float | None) -> Status:
    """On target, within 5 points of missing it, or missing it."""
    if value is None:
        return "no_data"
    if target is None:
        return "no_target"
    gap = target - value if kpi in LOWER_IS_BETTER else value - target
    if gap < 0:
        return "breach"
    return "at_risk" if gap < AT_RISK_MARGIN else "ok"


def queue_tiles(
    today: Mapping[str, Mapping[str, Any]],
    latest: Mapping[str, Mapping[str, Any]],
    targets: Mapping[tuple[str, str], float],
) -> list[dict[str, Any]]:
    """Per queue: day-to-date and latest-interval KPIs, each with its target and status."""
    tiles = []
    for queue in sorted(today):
        day, now = today[queue], latest.get(queue, {})
        tile: dict[str, Any] = {"queue": queue, "offered": day["offered"]}
        for kpi in ("service_level_pct", "abandonment_pct"):
            target = targets.get((queue, kpi))
            tile[kpi] = {
                "value": day[kpi],
                "target": target,
                "status": status(kpi, day[kpi], target),
                "latest_interval": now.get("interval_start"),
                "latest_value": now.get(kpi),
                "latest_status": status(kpi, now.get(kpi), target),
            }
        tile["asa_seconds"] = day["asa_seconds"]
        tile["aht_seconds"] = day["aht_seconds"]
        tiles.append(tile)
    return tiles


def team_tile(kpis: dict[str, Any], targets: Mapping[str, float]) -> dict[str, Any]:
    """A team's KPIs with the centre-wide targets (FCR, CSAT) and their status."""
    for kpi in ("fcr_pct", "csat_pct"):
        target = targets.get(kpi)
        kpis[kpi.removesuffix("_pct") + "_target"] = target
        kpis[kpi.removesuffix("_pct") + "_status"] = status(kpi, kpis.get(kpi), target)
    return kpis
