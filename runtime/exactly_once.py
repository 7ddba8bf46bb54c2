"""Exactly-once *effect* of Kafka records in Postgres.

Within the transaction that applies a batch, `claim()`:
1. locks the consumer's stored positions for the batch's partitions and drops records at or
   below them (a redelivered batch after a crash between the DB commit and the Kafka commit);
2. records event ids in an inbox and drops ids already applied (a source resending an event:
   the event id is the idempotency key);
3. advances the stored positions.
The projection writes then commit together with both, so a batch applies once or not at all.
The Kafka offset commit that follows is only an optimisation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import asyncpg

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Claimable(Generic[T]):
    topic: str
    partition: int
    offset: int
    event_id: str | None  # None: undecodable; still advances the position
    item: T


def ddl(schema: str) -> str:
    """Tables `claim()` needs; services include this in their first migration."""
    return f"""
    CREATE TABLE IF NOT EXISTS {schema}.consumer_positions (
        consumer text NOT NULL, topic text NOT NULL, partition int NOT NULL,
        next_offset bigint NOT NULL, updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, topic, partition));
    CREATE TABLE IF NOT EXISTS {schema}.inbox (
        event_id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
    CREATE INDEX IF NOT EXISTS inbox_applied_at ON {schema}.inbox (applied_at);
    """


async def claim(
    conn: asyncpg.Connection, schema: str, consumer: str, batch: Sequence[Claimable[T]]
) -> list[Claimable[T]]:
    """Return the records of `batch` not yet applied; must run inside the applying transaction."""
    if not batch:
        return []
    topics = [c.topic for c in batch]
    parts = [c.partition for c in batch]
    rows = await conn.fetch(
        f"""SELECT topic, partition, next_offset FROM {schema}.consumer_positions
            WHERE consumer = $1 AND (topic, partition) IN
              (SELECT * FROM unnest($2::text[], $3::int[])) FOR UPDATE""",
        consumer,
        topics,
        parts,
    )
    stored = {(r["topic"], r["partition"]): r["next_offset"] for r in rows}
    fresh = [c for c in batch if c.offset >= stored.get((c.topic, c.partition), 0)]
    ids = list({c.event_id for c in fresh if c.event_id is not None})
    new_ids: set[str] = set()
    if ids:
        inserted = await conn.fetch(
            f"""INSERT INTO {schema}.inbox (event_id) SELECT unnest($1::text[])
                ON CONFLICT DO NOTHING RETURNING event_id""",
            ids,
        )
        new_ids = {r["event_id"] for r in inserted}
    highest: dict[tuple[str, int], int] = {}
    for c in batch:
        key = (c.topic, c.partition)
        highest[key] = max(highest.get(key, -1), c.offset)
    await conn.execute(
        f"""INSERT INTO {schema}.consumer_positions (consumer, topic, partition, next_offset)
            SELECT $1, t, p, o + 1 FROM unnest($2::text[], $3::int[], $4::bigint[]) AS x(t, p, o)
            ON CONFLICT (consumer, topic, partition) DO UPDATE
              SET next_offset = GREATEST(consumer_positions.next_offset, EXCLUDED.next_offset),
                  updated_at = now()""",
        consumer,
        [k[0] for k in highest],
        [k[1] for k in highest],
        list(highest.values()),
    )
    seen: set[str] = set()
    out: list[Claimable[T]] = []
    for c in fresh:
        if c.event_id is None or c.event_id not in new_ids or c.event_id in seen:
            continue
        seen.add(c.event_id)  # the same id twice within one batch applies once
        out.append(c)
    return out
