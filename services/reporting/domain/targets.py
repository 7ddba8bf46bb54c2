"""Targets as the standard states them, read off scored events. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from contracts.events import InteractionScoredEvent, SurveyScoredEvent
from services.reporting.domain.reading import InteractionScoredViewEvent

Target = tuple[str, str, str]  # scope type, scope id, KPI


def latest_targets(events: Sequence[Any]) -> dict[Target, tuple[float, datetime]]:
    """The newest target per scope and KPI seen in the batch: service level and abandonment
    per queue, FCR, CSAT and NPS for the whole centre (as the standard states them)."""
    out: dict[Target, tuple[float, datetime]] = {}
    for e in events:
        found: list[tuple[Target, float | None]] = []
        if isinstance(e, InteractionScoredEvent | InteractionScoredViewEvent):
            op, queue = e.data.operational, e.data.interaction.queue
            found = [
                (("queue", queue, "service_level_pct"), op.sl_target_percent),
                (("queue", queue, "abandonment_pct"), op.abandonment_target_percent),
                (("all", "", "fcr_pct"), op.fcr_target_percent),
            ]
        elif isinstance(e, SurveyScoredEvent):
            found = [
                (("all", "", "csat_pct"), e.data.csat_target_percent),
                (("all", "", "nps"), e.data.nps_target),
            ]
        for key, value in found:
            if value is not None and (key not in out or out[key][1] < e.time):
                out[key] = (value, e.time)
    return out
