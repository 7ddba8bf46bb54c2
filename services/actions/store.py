"""Actions persistence: one transaction per batch (observations, actions, outbox, positions)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import asyncpg

from contracts import topics
from contracts.actions import ActionRaised
from contracts.envelope import CloudEvent, kafka_headers
from contracts.events import ActionRaisedEvent
from services.actions.domain.engine import Observation

SCHEMA = "actions"


async def insert_observations(
    conn: asyncpg.Connection, observations: Sequence[Observation]
) -> None:
    await conn.executemany(
        """INSERT INTO actions.observations (event_id, metric, agent_id, team_id, queue,
               observed_at, value, critical_failed, evidence_id, passed, failed)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) ON CONFLICT DO NOTHING""",
        [
            (
                o.event_id,
                o.metric,
                o.agent_id,
                o.team_id,
                o.queue,
                o.at,
                o.value,
                o.critical_failed,
                o.evidence_id,
                list(o.passed),
                list(o.failed),
            )
            for o in observations
        ],
    )


async def windows(
    conn: asyncpg.Connection, metric: str, agents: Sequence[str], last: int
) -> dict[str, list[Observation]]:
    """The last `last` observations of each agent for a metric, oldest first (one query)."""
    return await scope_histories(conn, metric, "agent_id", agents, last)


async def team_histories(
    conn: asyncpg.Connection, metric: str, teams: Sequence[str], last: int
) -> dict[str, dict[str, list[Observation]]]:
    """Each agent's last `last` observations, for every agent of the given teams (one query)."""
    rows = await conn.fetch(
        """SELECT * FROM (
             SELECT o.*, row_number() OVER (PARTITION BY team_id, agent_id
                    ORDER BY observed_at DESC, event_id DESC) AS rn
             FROM actions.observations o WHERE metric = $1 AND team_id = ANY($2::text[])
           ) w WHERE rn <= $3 ORDER BY team_id, agent_id, observed_at, event_id""",
        metric,
        list(teams),
        last,
    )
    out: dict[str, dict[str, list[Observation]]] = {}
    for r in rows:
        out.setdefault(r["team_id"], {}).setdefault(r["agent_id"], []).append(_observation(r))
    return out


async def scope_histories(
    conn: asyncpg.Connection, metric: str, column: str, ids: Sequence[str], last: int
) -> dict[str, list[Observation]]:
    """The last `last` observations of each agent, team or queue (oldest first, one query)."""
    assert column in ("agent_id", "team_id", "queue")
    rows = await conn.fetch(
        f"""SELECT * FROM (
             SELECT o.*, row_number() OVER (PARTITION BY {column}
                    ORDER BY observed_at DESC, event_id DESC) AS rn
             FROM actions.observations o WHERE metric = $1 AND {column} = ANY($2::text[])
           ) w WHERE rn <= $3 ORDER BY {column}, observed_at, event_id""",
        metric,
        list(ids),
        last,
    )
    out: dict[str, list[Observation]] = {}
    for r in rows:
        out.setdefault(r[column], []).append(_observation(r))
    return out


def _observation(r: asyncpg.Record) -> Observation:
    return Observation(
        r["event_id"],
        r["metric"],
        r["agent_id"],
        r["team_id"],
        r["queue"],
        r["observed_at"],
        r["value"],
        r["critical_failed"],
        r["evidence_id"],
        tuple(r["passed"]),
        tuple(r["failed"]),
    )


async def raise_actions(
    conn: asyncpg.Connection,
    actions: Sequence[ActionRaised],
    source: str,
    cooldowns: dict[str, float] | None = None,
) -> list[ActionRaised]:
    """Insert actions unless one is open for the rule and scope, or one closed within the rule's
    cooldown (days); outbox the new ones."""
    raised = []
    for a in actions:  # few per batch: actions are rare compared with events
        row = await conn.fetchrow(
            """INSERT INTO actions.actions (action_id, kind, rule_id, rule_version, trigger,
                   scope_type, scope_id, team_id, metric, observed, threshold, window_size,
                   summary, payload, due_at, raised_at)
               SELECT $1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14::jsonb,$15,$16
               WHERE NOT EXISTS (
                   SELECT 1 FROM actions.actions c
                   WHERE c.rule_id = $3 AND c.scope_type = $6 AND c.scope_id = $7
                     AND c.closed_at > now() - make_interval(secs => $17 * 86400))
               ON CONFLICT DO NOTHING RETURNING action_id""",
            a.action_id,
            a.kind.value,
            a.rule_id,
            a.rule_version,
            a.trigger.value,
            a.scope.type.value,
            a.scope.id,
            a.team_id,
            a.metric,
            a.observed,
            a.threshold,
            a.window_size,
            a.summary,
            a.model_dump_json(),
            a.due_at,
            a.raised_at,
            float((cooldowns or {}).get(a.rule_id, 0.0)),
        )
        if row is None:
            continue
        event = ActionRaisedEvent(
            id=a.action_id, source=source, time=a.raised_at, subject=a.scope.id, data=a
        )
        await outbox(conn, event, a.action_id)
        raised.append(a)
    return raised


async def outbox(
    conn: asyncpg.Connection, event: CloudEvent[Any], key: str, topic: str = topics.ACTIONS.name
) -> None:
    """Record an event in the same transaction as the state change it reports."""
    await conn.execute(
        "INSERT INTO actions.outbox (topic, key, value, headers) VALUES ($1,$2,$3,$4::jsonb)",
        topic,
        key.encode(),
        event.model_dump_json().encode(),
        json.dumps(kafka_headers(event)),
    )


async def mark_published(conn: asyncpg.Connection, seqs: Sequence[int]) -> None:
    await conn.execute(
        "UPDATE actions.outbox SET published_at = now() WHERE seq = ANY($1::bigint[])", list(seqs)
    )


async def scope_observations(
    conn: asyncpg.Connection,
    metric: str,
    column: str,
    scope_id: str,
    start: datetime,
    end: datetime,
) -> list[Observation]:
    """A scope's observations of a metric in [start, end) (column: agent_id or team_id)."""
    assert column in ("agent_id", "team_id")
    rows = await conn.fetch(
        f"""SELECT * FROM actions.observations WHERE metric = $1 AND {column} = $2
              AND observed_at >= $3 AND observed_at < $4 ORDER BY observed_at, event_id""",
        metric,
        scope_id,
        start,
        end,
    )
    return [_observation(r) for r in rows]
