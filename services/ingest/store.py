"""Ingest persistence: API keys (asyncpg), cached in memory for the request path."""

from __future__ import annotations

import asyncio
import time

import asyncpg

from services.ingest.domain.keys import ApiKey, new_key, normalise_types

SCHEMA = "ingest"


async def create_key(
    pool: asyncpg.Pool, source: str, types: list[str], note: str | None = None
) -> tuple[str, str]:
    """Create a key for a source system; returns (key id, the key — shown once, never stored)."""
    allowed = sorted(normalise_types(types))
    key_id, key, secret_hash = new_key()
    await pool.execute(
        "INSERT INTO ingest.api_keys (key_id, source, secret_sha256, allowed_types, note) "
        "VALUES ($1, $2, $3, $4, $5)",
        key_id,
        source,
        secret_hash,
        allowed,
        note,
    )
    return key_id, key


async def revoke_key(pool: asyncpg.Pool, key_id: str) -> bool:
    status = await pool.execute(
        "UPDATE ingest.api_keys SET revoked_at = now() WHERE key_id = $1 AND revoked_at IS NULL",
        key_id,
    )
    return status.endswith(" 1")


async def list_keys(pool: asyncpg.Pool) -> list[asyncpg.Record]:
    return await pool.fetch(
        "SELECT key_id, source, allowed_types, created_at, revoked_at, note "
        "FROM ingest.api_keys ORDER BY created_at"
    )


async def active_keys(pool: asyncpg.Pool) -> dict[str, ApiKey]:
    rows = await pool.fetch(
        "SELECT key_id, source, secret_sha256, allowed_types FROM ingest.api_keys "
        "WHERE revoked_at IS NULL"
    )
    return {
        r["key_id"]: ApiKey(
            r["key_id"], r["source"], r["secret_sha256"], frozenset(r["allowed_types"])
        )
        for r in rows
    }


class KeyRing:
    """Active keys in memory, refreshed every `ttl_s` (a revocation takes effect within it) and
    on an unknown key id at most once a second (a new key works at once)."""

    def __init__(self, pool: asyncpg.Pool, ttl_s: float = 10.0) -> None:
        self._pool, self._ttl = pool, ttl_s
        self._keys: dict[str, ApiKey] = {}
        self._loaded = self._miss_reload = 0.0
        self._lock = asyncio.Lock()

    async def _reload(self) -> None:
        async with self._lock:
            self._keys = await active_keys(self._pool)
            self._loaded = time.monotonic()

    async def get(self, key_id: str) -> dict[str, ApiKey]:
        now = time.monotonic()
        if now - self._loaded > self._ttl:
            await self._reload()
        elif key_id not in self._keys and now - self._miss_reload > 1.0:
            self._miss_reload = now
            await self._reload()
        return self._keys
