"""Alerts as raised (immutable: the first copy of an alert id stays)."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from contracts.actions import alert_team
from contracts.events import AlertRaisedEvent


async def write(conn: asyncpg.Connection, events: Sequence[AlertRaisedEvent]) -> None:
    if not events:
        return
    await conn.executemany(
        """INSERT INTO alerts (alert_id, kind, severity, scope_type, scope_id, metric, observed,
                               target, interval_start, message, raised_at, team_id)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)
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
                alert_team(a),
            )
            for a in (e.data for e in events)
        ],
    )
