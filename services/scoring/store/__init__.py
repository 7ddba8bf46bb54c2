"""Scoring persistence (asyncpg): calibration sessions and monitoring-plan assignments here;
automated vs human answers in `answers`, the AutoQA trust gate in `gates`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import asyncpg

from contracts.envelope import derived_event_id
from contracts.events import EvaluationScoredEvent
from contracts.scores import QaResult
from services.scoring.domain.monitoring import Candidate, Plan, select
from services.scoring.domain.monitoring_updates import Completion
from services.scoring.store.answers import autoqa_accuracy, pair_windows, record_answers
from services.scoring.store.gates import all_gates, gate_states, gates, save_gates

SCHEMA = "scoring"
__all__ = [
    "all_gates",
    "assign",
    "autoqa_accuracy",
    "calibration_sessions",
    "complete",
    "coverage",
    "gate_states",
    "gates",
    "pair_windows",
    "record_answers",
    "save_gates",
]


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


async def assign(
    conn: asyncpg.Connection, plans: dict[str, Plan], candidates: Sequence[Candidate]
) -> list[asyncpg.Record]:
    """Apply the plans' quotas against what is already assigned, record the picks, and return
    every assignment of the batch's interactions (new or from an earlier delivery, so a
    redelivered batch re-publishes the same events, which downstream dedupes by id)."""
    keys = sorted({(c.plan_id, c.agent_id, c.week) for c in candidates})
    rows = await conn.fetch(
        """SELECT plan_id, agent_id, week,
                  CASE WHEN reason = 'random' THEN channel ELSE 'risk' END AS kind, count(*) AS n
           FROM scoring.assignments
           WHERE (plan_id, agent_id, week) IN
                 (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]))
           GROUP BY 1, 2, 3, 4""",
        [k[0] for k in keys],
        [k[1] for k in keys],
        [k[2] for k in keys],
    )
    assigned = {(r["plan_id"], r["agent_id"], r["week"], r["kind"]): r["n"] for r in rows}
    already = {
        (r["plan_id"], r["interaction_id"])
        for r in await conn.fetch(
            "SELECT plan_id, interaction_id FROM scoring.assignments "
            "WHERE interaction_id = ANY($1::text[])",
            [c.interaction_id for c in candidates],
        )
    }
    picked = select(
        plans, [c for c in candidates if (c.plan_id, c.interaction_id) not in already], assigned
    )
    await conn.executemany(
        """INSERT INTO scoring.assignments (plan_id, interaction_id, assignment_id, agent_id,
               team_id, channel, week, reason, interaction_at, due_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING""",
        [
            (
                c.plan_id,
                c.interaction_id,
                derived_event_id("assignment", c.plan_id, c.interaction_id),
                c.agent_id,
                c.team_id,
                c.channel,
                c.week,
                c.reason.value,
                c.at,
                c.at + timedelta(days=plans[c.plan_id].due_in_days),
            )
            for c in picked
        ],
    )
    return await conn.fetch(
        "SELECT * FROM scoring.assignments WHERE interaction_id = ANY($1::text[])",
        sorted({c.interaction_id for c in candidates}),
    )


async def complete(conn: asyncpg.Connection, done: Sequence[Completion]) -> None:
    """Mark the evaluated interactions' open assignments complete."""
    await conn.executemany(
        """UPDATE scoring.assignments SET evaluation_id = $2, completed_at = $3
           WHERE interaction_id = $1 AND completed_at IS NULL""",
        [(d.interaction_id, d.evaluation_id, d.evaluated_at) for d in done],
    )


async def coverage(pool: asyncpg.Pool, week: str, team: str | None = None) -> list[asyncpg.Record]:
    """Per plan and agent of `week` (of one team when `team` is given)."""
    return await pool.fetch(
        """SELECT plan_id, team_id, agent_id, count(*) AS assigned,
                  count(*) FILTER (WHERE reason = 'random') AS random,
                  count(*) FILTER (WHERE reason <> 'random') AS risk_based,
                  count(completed_at) AS completed,
                  count(*) FILTER (WHERE completed_at IS NULL AND due_by < now()) AS overdue
           FROM scoring.assignments WHERE week = $1 AND ($2::text IS NULL OR team_id = $2)
           GROUP BY plan_id, team_id, agent_id ORDER BY plan_id, team_id, agent_id""",
        week,
        team,
    )
