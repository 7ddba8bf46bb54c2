"""Fresh databases for test sessions and for tests that need one of their own."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg


def fresh_database(admin_url: str, prefix: str = "ql_test") -> str:
    """Create an empty database next to `admin_url`'s and return its URL (same credentials)."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"

    async def create() -> None:
        conn = await asyncpg.connect(admin_url)
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    asyncio.run(create())
    return admin_url.rsplit("/", 1)[0] + "/" + name


async def poll_rows(
    url: str, query: str, *args: object, wait_s: float = 60.0
) -> list[asyncpg.Record]:
    """The query's rows as soon as there are any (every 0.25 s), or AssertionError after
    `wait_s`: for effects that reach Postgres asynchronously, through Kafka."""
    conn = await asyncpg.connect(url)
    try:
        for _ in range(int(wait_s / 0.25)):
            rows = await conn.fetch(query, *args)
            if rows:
                return rows
            await asyncio.sleep(0.25)
    finally:
        await conn.close()
    raise AssertionError(f"nothing for {query!r} within {wait_s}s")
