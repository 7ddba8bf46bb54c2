"""The dashboard's queries: one day's KPIs per queue and team (built with `kpis`), targets,
recent alerts, open and evaluated actions, the AutoQA trust gates."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from contracts.actions import team_sees_alert_sql
from services.reporting.read.store.kpis import COUNTERS_TABLE, SCOPE, SUMS, Filters, grouped

OPEN = "('raised', 'acknowledged', 'in_progress')"


async def queues(
    conn: asyncpg.Connection, f: Filters
) -> tuple[list[asyncpg.Record], list[asyncpg.Record]]:
    """Per queue: counters summed over the window, and over its latest interval."""
    queue = [f"{SCOPE['queue']} AS queue"]
    today = await conn.fetch(grouped(COUNTERS_TABLE, "interval_start", queue, SUMS), *f.args())
    per_interval = grouped(COUNTERS_TABLE, "interval_start", [*queue, "interval_start"], SUMS)
    latest = await conn.fetch(
        f"""SELECT DISTINCT ON (queue) * FROM ({per_interval}) g
            ORDER BY queue, interval_start DESC""",
        *f.args(),
    )
    return today, latest


async def teams(conn: asyncpg.Connection, f: Filters) -> list[asyncpg.Record]:
    """Per team: counters, human-and-automated QA and CSAT over the window."""
    team = [f"{SCOPE['team']} AS team_id"]
    return await conn.fetch(
        f"""WITH c AS ({grouped(COUNTERS_TABLE, "interval_start", team, SUMS)}),
                 q AS (SELECT team_id, avg(score) AS qa_score, count(*) AS evaluations
                       FROM reporting.evaluation_facts WHERE counts_toward_agent
                         AND evaluated_at >= $1 AND evaluated_at < $2 GROUP BY team_id),
                 s AS (SELECT team_id, 100.0 * avg(csat_top2::int) AS csat_pct,
                              count(csat_top2) AS csat_n
                       FROM reporting.survey_facts
                       WHERE responded_at >= $1 AND responded_at < $2 GROUP BY team_id)
            SELECT c.*, q.qa_score, q.evaluations, s.csat_pct, s.csat_n
            FROM c LEFT JOIN q USING (team_id) LEFT JOIN s USING (team_id)
            WHERE c.team_id <> '' ORDER BY c.team_id""",
        *f.args(),
    )


async def targets(conn: asyncpg.Connection, scope_type: str) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT scope_id, kpi, target FROM reporting.targets WHERE scope_type = $1", scope_type
    )


async def alerts(
    conn: asyncpg.Connection, since: datetime, team: str | None = None
) -> list[asyncpg.Record]:
    """Alerts raised from a day before `since` on, newest first; with `team`, what that
    team's leader may see (contracts' rule)."""
    return await conn.fetch(
        "SELECT alert_id, kind, severity, scope_type, scope_id, team_id, metric, observed,"
        " target, interval_start, message, raised_at FROM reporting.alerts"
        f" WHERE raised_at >= $1::timestamptz - interval '1 day' AND {team_sees_alert_sql(2)}"
        " ORDER BY raised_at DESC LIMIT 50",
        since,
        team,
    )


async def actions(conn: asyncpg.Connection, team: str | None) -> list[asyncpg.Record]:
    """Open and evaluated actions (of one team, or all), newest first, flagged when overdue."""
    return await conn.fetch(
        f"""SELECT action_id, kind, rule_id, scope_type, scope_id, team_id, metric, status,
                   summary, owner, due_at, raised_at, evaluation::text AS evaluation,
                   status IN {OPEN} AND due_at < now() AS overdue
            FROM reporting.actions
            WHERE (status IN {OPEN} OR status = 'evaluated')
              AND ($1::text IS NULL OR team_id = $1)
            ORDER BY raised_at DESC LIMIT 200""",
        team,
    )


async def gates(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    """Each automated criterion's trust gate as last changed, unverified first."""
    return await conn.fetch(
        """SELECT criterion_id, state, since, reason, pairs, kappa, kappa_low, kappa_high,
                  false_pass_rate, false_fail_rate
           FROM reporting.autoqa_gates ORDER BY state = 'trusted', criterion_id"""
    )
