"""AutoQA trust gates: each criterion's latest change wins (by `since`, then event id), so
replays and out-of-order deliveries leave the same row."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from contracts.events import AutoQaGateChangedEvent


async def write(conn: asyncpg.Connection, events: Sequence[AutoQaGateChangedEvent]) -> None:
    if not events:
        return
    await conn.executemany(
        """INSERT INTO autoqa_gates AS g (criterion_id, scorecard_id, state, previous, since,
               reason, pairs, kappa, kappa_low, kappa_high, false_pass_rate, false_fail_rate,
               event_id)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)
           ON CONFLICT (criterion_id) DO UPDATE SET
               scorecard_id = EXCLUDED.scorecard_id, state = EXCLUDED.state,
               previous = EXCLUDED.previous, since = EXCLUDED.since, reason = EXCLUDED.reason,
               pairs = EXCLUDED.pairs, kappa = EXCLUDED.kappa, kappa_low = EXCLUDED.kappa_low,
               kappa_high = EXCLUDED.kappa_high, false_pass_rate = EXCLUDED.false_pass_rate,
               false_fail_rate = EXCLUDED.false_fail_rate, event_id = EXCLUDED.event_id
           WHERE (g.since, g.event_id) < (EXCLUDED.since, EXCLUDED.event_id)""",
        [
            (
                d.criterion_id,
                d.scorecard_id,
                d.state.value,
                d.previous.value,
                d.since,
                d.reason,
                d.agreement.pairs,
                d.agreement.kappa,
                d.agreement.kappa_low,
                d.agreement.kappa_high,
                d.agreement.false_pass_rate,
                d.agreement.false_fail_rate,
                e.id,
            )
            for e in events
            for d in (e.data,)
        ],
    )
