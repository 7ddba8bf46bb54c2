"""The rebuild's tables: a fresh schema shaped like the live one, the live consumer's
positions, and the swap of rebuilt rows into the live tables."""

from __future__ import annotations

import asyncpg
from aiokafka import TopicPartition

from services.reporting.names import CONSUMER
from services.reporting.names import REBUILD_SCHEMA as FRESH
from services.reporting.names import SCHEMA as LIVE

# Operational tables, not projections of events: kept as they are.
KEEP = frozenset({"alembic_version", "api_tokens", "access_log"})


async def projection_tables(conn: asyncpg.Connection) -> list[str]:
    rows = await conn.fetch(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name",
        LIVE,
    )
    return [r["table_name"] for r in rows if r["table_name"] not in KEEP]


async def fresh_schema(conn: asyncpg.Connection, tables: list[str]) -> None:
    await conn.execute(f"DROP SCHEMA IF EXISTS {FRESH} CASCADE; CREATE SCHEMA {FRESH}")
    for t in tables:
        await conn.execute(f"CREATE TABLE {FRESH}.{t} (LIKE {LIVE}.{t} INCLUDING ALL)")


async def live_positions(
    conn: asyncpg.Connection, parts: list[TopicPartition]
) -> dict[TopicPartition, int]:
    rows = await conn.fetch(
        f"SELECT topic, partition, next_offset FROM {LIVE}.consumer_positions WHERE consumer = $1",
        CONSUMER,
    )
    stored = {TopicPartition(r["topic"], r["partition"]): r["next_offset"] for r in rows}
    return {tp: stored.get(tp, 0) for tp in parts}


async def hold_live(conn: asyncpg.Connection) -> None:
    """Live batches wait (they update their positions) until the caller's transaction ends;
    readers do not."""
    await conn.execute(f"LOCK TABLE {LIVE}.consumer_positions IN EXCLUSIVE MODE")


async def swap(conn: asyncpg.Connection, tables: list[str]) -> dict[str, int]:
    """Replace live rows by rebuilt rows (caller's transaction, positions already locked)."""
    counts: dict[str, int] = {}
    await conn.execute(f"TRUNCATE {', '.join(f'{LIVE}.{t}' for t in tables)}")
    for t in tables:
        status = await conn.execute(f"INSERT INTO {LIVE}.{t} SELECT * FROM {FRESH}.{t}")
        counts[t] = int(status.split()[-1])
    await conn.execute(f"DROP SCHEMA {FRESH} CASCADE")
    return counts
