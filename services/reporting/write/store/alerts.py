"""Alerts as raised (immutable: the first copy of an alert id stays)."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from contracts.events import AlertRaisedEvent


async def write(conn: asyncpg.Connection, events: Sequence[AlertRaisedEvent]) -> None:
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
