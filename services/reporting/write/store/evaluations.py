"""Evaluation facts: one row per QA evaluation (human or automated), the newest version wins."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from contracts.events import EvaluationScoredEvent


async def write(conn: asyncpg.Connection, events: Sequence[EvaluationScoredEvent]) -> None:
    if not events:
        return
    await conn.executemany(
        """INSERT INTO evaluation_facts VALUES
               ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)
           ON CONFLICT (evaluation_id) DO UPDATE SET event_id = EXCLUDED.event_id,
               score = EXCLUDED.score, critical_failed = EXCLUDED.critical_failed,
               scorecard_version = EXCLUDED.scorecard_version,
               standard_version = EXCLUDED.standard_version
           WHERE evaluation_facts.evaluated_at <= EXCLUDED.evaluated_at""",
        [
            (
                e.data.evaluation_id,
                e.id,
                e.data.interaction_id,
                e.data.agent_id,
                e.data.team_id or "",
                e.data.evaluator_id,
                e.data.method.value,
                e.data.qa.scorecard_id,
                e.data.qa.scorecard_version,
                e.data.standard_version,
                e.data.qa.score,
                e.data.qa.critical_failed,
                e.data.calibration_session_id,
                e.data.counts_toward_agent,
                e.data.evaluated_at,
            )
            for e in events
        ],
    )
