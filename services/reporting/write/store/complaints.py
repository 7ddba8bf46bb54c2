"""Complaint facts: one row per complaint, changed by each event of its lifecycle."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from contracts.events import ComplaintResolvedEvent, ComplaintScoredEvent, ComplaintUpdatedEvent


async def write(
    conn: asyncpg.Connection,
    raised: Sequence[ComplaintScoredEvent],
    updated: Sequence[ComplaintUpdatedEvent],
    resolved: Sequence[ComplaintResolvedEvent],
) -> None:
    """Lifecycle events change the complaint's row (never add counts), in any arrival order:
    each event sets its own columns; the status follows the newest status change."""
    if raised:
        await conn.executemany(
            """INSERT INTO complaint_facts AS f (complaint_id, category, severity,
                   channel,
                   queue, team_id, agent_id, interaction_id, raised_at, acknowledge_by,
                   resolve_by, sentiment, description, status_at)
               VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$9)
               ON CONFLICT (complaint_id) DO UPDATE SET
                   category = coalesce(f.category, EXCLUDED.category),
                   severity = coalesce(f.severity, EXCLUDED.severity),
                   channel = EXCLUDED.channel, queue = EXCLUDED.queue,
                   team_id = EXCLUDED.team_id, agent_id = EXCLUDED.agent_id,
                   interaction_id = EXCLUDED.interaction_id, raised_at = EXCLUDED.raised_at,
                   acknowledge_by = EXCLUDED.acknowledge_by, resolve_by = EXCLUDED.resolve_by,
                   sentiment = EXCLUDED.sentiment, description = EXCLUDED.description,
                   status_at = coalesce(f.status_at, EXCLUDED.status_at)""",
            [
                (
                    c.complaint_id,
                    c.category,
                    d.severity.value,
                    c.channel.value,
                    c.queue,
                    c.team_id,
                    c.agent_id,
                    c.interaction_id,
                    c.raised_at,
                    d.acknowledge_by,
                    d.resolve_by,
                    d.sentiment,
                    c.description,
                )
                for e in raised
                for d in (e.data,)
                for c in (d.complaint,)
            ],
        )
    if updated:
        await conn.executemany(
            """INSERT INTO complaint_facts AS f (complaint_id, status, status_at,
                   severity,
                   category, root_cause, acknowledged_at)
               VALUES ($1, $2, $3, $4, $5, $6,
                       CASE WHEN $2::text = 'acknowledged' THEN $3::timestamptz END)
               ON CONFLICT (complaint_id) DO UPDATE SET
                   status = CASE WHEN f.status_at IS NULL
                                   OR EXCLUDED.status_at >= f.status_at
                                 THEN EXCLUDED.status ELSE f.status END,
                   status_at = greatest(f.status_at, EXCLUDED.status_at),
                   severity = coalesce(EXCLUDED.severity, f.severity),
                   category = coalesce(EXCLUDED.category, f.category),
                   root_cause = coalesce(EXCLUDED.root_cause, f.root_cause),
                   acknowledged_at = coalesce(f.acknowledged_at,
                                              EXCLUDED.acknowledged_at)""",
            [
                (
                    u.complaint_id,
                    u.status.value,
                    u.updated_at,
                    u.severity.value if u.severity else None,
                    u.category,
                    u.root_cause,
                )
                for e in updated
                for u in (e.data,)
            ],
        )
    if resolved:
        await conn.executemany(
            """INSERT INTO complaint_facts AS f (complaint_id, status, status_at,
                   resolved_at, outcome, root_cause)
               VALUES ($1, 'resolved', $2, $2, $3, $4)
               ON CONFLICT (complaint_id) DO UPDATE SET
                   status = CASE WHEN f.status_at IS NULL
                                   OR EXCLUDED.status_at >= f.status_at
                                 THEN 'resolved' ELSE f.status END,
                   status_at = greatest(f.status_at, EXCLUDED.status_at),
                   resolved_at = EXCLUDED.resolved_at, outcome = EXCLUDED.outcome,
                   root_cause = coalesce(EXCLUDED.root_cause, f.root_cause)""",
            [
                (r.complaint_id, r.resolved_at, r.outcome.value, r.root_cause)
                for e in resolved
                for r in (e.data,)
            ],
        )
