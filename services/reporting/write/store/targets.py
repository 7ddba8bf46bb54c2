"""Targets per scope and KPI: the newest statement of each wins."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from services.reporting.domain.targets import Target


async def write(conn: asyncpg.Connection, targets: dict[Target, tuple[float, datetime]]) -> None:
    if not targets:
        return
    await conn.executemany(
        """INSERT INTO targets VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (scope_type, scope_id, kpi) DO UPDATE
             SET target = EXCLUDED.target, as_of = EXCLUDED.as_of
             WHERE targets.as_of <= EXCLUDED.as_of""",
        [(*key, value, at) for key, (value, at) in targets.items()],
    )
