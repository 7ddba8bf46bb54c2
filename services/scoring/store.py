"""Scoring persistence (asyncpg): calibration sessions and monitoring-plan assignments."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from contracts.events import EvaluationScoredEvent
from contracts.scores import QaResult

SCHEMA = "scoring"


async def calibration_sessions(
    conn: asyncpg.Connection, events: Sequence[EvaluationScoredEvent]
) -> dict[str, list[tuple[str, str, QaResult]]]:
    """Record each calibration evaluation (an evaluator's latest wins) and return every
    affected session's evaluations: (evaluator, interaction, result)."""
    await conn.executemany(
        """INSERT INTO scoring.calibration_evaluations
               (session_id, evaluator_id, evaluation_id, interaction_id, evaluated_at, qa)
           VALUES ($1, $2, $3, $4, $5, $6::jsonb)
           ON CONFLICT (session_id, evaluator_id) DO UPDATE SET
               evaluation_id = EXCLUDED.evaluation_id, evaluated_at = EXCLUDED.evaluated_at,
               qa = EXCLUDED.qa, interaction_id = EXCLUDED.interaction_id
           WHERE scoring.calibration_evaluations.evaluated_at <= EXCLUDED.evaluated_at""",
        [
            (
                e.data.calibration_session_id,
                e.data.evaluator_id,
                e.data.evaluation_id,
                e.data.interaction_id,
                e.data.evaluated_at,
                e.data.qa.model_dump_json(),
            )
            for e in events
        ],
    )
    sessions = sorted(
        {e.data.calibration_session_id for e in events if e.data.calibration_session_id}
    )
    rows = await conn.fetch(
        "SELECT session_id, evaluator_id, interaction_id, qa FROM scoring.calibration_evaluations "
        "WHERE session_id = ANY($1::text[]) ORDER BY session_id, evaluator_id",
        sessions,
    )
    out: dict[str, list[tuple[str, str, QaResult]]] = {}
    for r in rows:
        out.setdefault(r["session_id"], []).append(
            (r["evaluator_id"], r["interaction_id"], QaResult.model_validate_json(r["qa"]))
        )
    return out
