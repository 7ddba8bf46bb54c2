"""Projections for the operations view: alerts, targets and action evaluations.

Statements use unqualified names: the caller's transaction sets `search_path` to the live
schema or to a rebuild schema (see `projector.project`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import asyncpg

from contracts.events import (
    ActionEvaluatedEvent,
    AlertRaisedEvent,
    InteractionScoredEvent,
    SurveyScoredEvent,
)
from services.reporting.domain.reading import InteractionScoredViewEvent


async def write_alerts(conn: asyncpg.Connection, events: Sequence[AlertRaisedEvent]) -> None:
    if not events:
        return
    await conn.executemany(
        """INSERT INTO alerts VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)
           ON CONFLICT (alert_id) DO NOTHING""",
        [
            (
                a.alert_id,
                a.kind,
                a.severity.value,
                a.scope.type.value,
                a.scope.id,
                a.metric,
                a.observed,
                a.target,
                a.interval_start,
                a.message,
                a.raised_at,
            )
            for a in (e.data for e in events)
        ],
    )


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


async def write_targets(conn: asyncpg.Connection, events: Sequence[Any]) -> None:
    targets = latest_targets(events)
    if not targets:
        return
    await conn.executemany(
        """INSERT INTO targets VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (scope_type, scope_id, kpi) DO UPDATE
             SET target = EXCLUDED.target, as_of = EXCLUDED.as_of
             WHERE targets.as_of <= EXCLUDED.as_of""",
        [(*key, value, at) for key, (value, at) in targets.items()],
    )


async def write_evaluated(conn: asyncpg.Connection, events: Sequence[ActionEvaluatedEvent]) -> None:
    """The before/after result; status follows from the `action.transitioned` event."""
    if not events:
        return
    await conn.executemany(
        "UPDATE actions SET evaluation = $2::jsonb WHERE action_id = $1",
        [(e.data.action_id, e.data.model_dump_json()) for e in events],
    )
