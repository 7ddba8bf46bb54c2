"""The exactly-once helper against real Postgres: redelivered batches and resent events apply
once; a batch that fails applies nothing."""

from __future__ import annotations

import uuid

import asyncpg
import pytest

from runtime.exactly_once import Claimable, claim


def batch(topic: str, ids: list[str], first_offset: int = 0) -> list[Claimable[str]]:
    return [Claimable(topic, 0, first_offset + n, i, i) for n, i in enumerate(ids)]


async def test_redelivered_batch_applies_nothing(pool: asyncpg.Pool) -> None:
    topic, consumer = f"t-{uuid.uuid4().hex[:8]}", "c1"
    records = batch(topic, ["a1", "a2", "a3"])
    async with pool.acquire() as conn, conn.transaction():
        assert [c.item for c in await claim(conn, "reporting", consumer, records)] == [
            "a1",
            "a2",
            "a3",
        ]
    async with pool.acquire() as conn, conn.transaction():
        assert await claim(conn, "reporting", consumer, records) == []


async def test_resent_event_at_a_new_offset_is_dropped(pool: asyncpg.Pool) -> None:
    topic, ident = f"t-{uuid.uuid4().hex[:8]}", f"id-{uuid.uuid4().hex}"
    async with pool.acquire() as conn, conn.transaction():
        assert len(await claim(conn, "reporting", "c2", batch(topic, [ident]))) == 1
    async with pool.acquire() as conn, conn.transaction():
        later = batch(topic, [ident, "fresh-" + ident], first_offset=10)
        assert [c.item for c in await claim(conn, "reporting", "c2", later)] == ["fresh-" + ident]


async def test_duplicate_within_one_batch_applies_once(pool: asyncpg.Pool) -> None:
    topic, ident = f"t-{uuid.uuid4().hex[:8]}", f"id-{uuid.uuid4().hex}"
    async with pool.acquire() as conn, conn.transaction():
        out = await claim(conn, "reporting", "c3", batch(topic, [ident, ident]))
    assert len(out) == 1


async def test_failed_transaction_leaves_positions_untouched(pool: asyncpg.Pool) -> None:
    topic = f"t-{uuid.uuid4().hex[:8]}"
    records = batch(topic, [f"x-{uuid.uuid4().hex}"])
    with pytest.raises(RuntimeError):
        async with pool.acquire() as conn, conn.transaction():
            await claim(conn, "reporting", "c4", records)
            raise RuntimeError("projection write failed")
    async with pool.acquire() as conn, conn.transaction():
        assert len(await claim(conn, "reporting", "c4", records)) == 1
