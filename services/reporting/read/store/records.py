"""Individual records: QA evaluations, actions, alerts and targets."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from contracts.actions import team_sees_alert_sql
from runtime.identity import RowScope

ALERT_COLS = """alert_id, kind, severity, scope_type, scope_id, team_id, metric, observed, target,
    interval_start, message, raised_at"""
EVALUATION_COLS = """evaluation_id, interaction_id, agent_id, team_id, evaluator_id, method,
    scorecard_id, scorecard_version, standard_version, score, critical_failed,
    calibration_session_id, counts_toward_agent, evaluated_at"""


async def evaluations(
    pool: asyncpg.Pool,
    rows: RowScope,
    start: datetime | None,
    end: datetime | None,
    limit: int,
    offset: int,
) -> list[asyncpg.Record]:
    """Newest first."""
    return await pool.fetch(
        f"""SELECT {EVALUATION_COLS} FROM reporting.evaluation_facts
            WHERE ($1::text IS NULL OR team_id = $1) AND ($2::text IS NULL OR agent_id = $2)
              AND ($3::timestamptz IS NULL OR evaluated_at >= $3)
              AND ($4::timestamptz IS NULL OR evaluated_at < $4)
              AND ($7::text IS NULL OR evaluator_id = $7)
            ORDER BY evaluated_at DESC, evaluation_id LIMIT $5 OFFSET $6""",
        rows.team_id,
        rows.agent_id,
        start,
        end,
        limit,
        offset,
        rows.evaluator_id,
    )


async def evaluation(pool: asyncpg.Pool, evaluation_id: str) -> asyncpg.Record | None:
    return await pool.fetchrow(
        f"SELECT {EVALUATION_COLS} FROM reporting.evaluation_facts WHERE evaluation_id = $1",
        evaluation_id,
    )


async def actions(
    pool: asyncpg.Pool,
    status: str | None,
    kind: str | None,
    rows: RowScope,
    limit: int,
    offset: int,
) -> list[asyncpg.Record]:
    """Newest first; an agent's rows are the actions whose scope is that agent."""
    return await pool.fetch(
        """SELECT action_id, kind, rule_id, scope_type, scope_id, team_id, metric, observed,
                  threshold, status, summary, owner, due_at, raised_at, updated_at,
                  evaluation::text AS evaluation
           FROM reporting.actions
           WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR kind = $2)
             AND ($3::text IS NULL OR team_id = $3)
             AND ($4::text IS NULL OR (scope_type = 'agent' AND scope_id = $4))
           ORDER BY raised_at DESC, action_id LIMIT $5 OFFSET $6""",
        status,
        kind,
        rows.team_id,
        rows.agent_id,
        limit,
        offset,
    )


async def alerts(
    pool: asyncpg.Pool, since: datetime | None, limit: int, team: str | None = None
) -> list[asyncpg.Record]:
    """Newest first; with `team`, what that team's leader may see (contracts' rule)."""
    return await pool.fetch(
        f"""SELECT {ALERT_COLS} FROM reporting.alerts
            WHERE ($1::timestamptz IS NULL OR raised_at >= $1) AND {team_sees_alert_sql(3)}
            ORDER BY raised_at DESC, alert_id LIMIT $2""",
        since,
        limit,
        team,
    )


async def targets(pool: asyncpg.Pool) -> list[asyncpg.Record]:
    return await pool.fetch(
        "SELECT scope_type, scope_id, kpi, target, as_of FROM reporting.targets ORDER BY 1, 2, 3"
    )
