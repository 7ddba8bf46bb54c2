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
