"""Ingest persistence: API keys (asyncpg), cached in memory for the request path, and the
owners of event ids (the source that reported each first)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping

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


# One round trip per request or batch: insert the ids nobody owns yet, and answer only the ids
# another source holds (the outer query reads the snapshot from before the insert, so an id it
# finds was owned before; an id neither inserted nor found was claimed by a concurrent
# statement that committed meanwhile: answered with a null owner, looked up once more).
CLAIM = """
WITH incoming AS (
    SELECT * FROM unnest($1::text[], $2::text[]) AS t(event_id, source)
), added AS (
    INSERT INTO ingest.event_owners (event_id, source)
    SELECT event_id, source FROM incoming
    ON CONFLICT (event_id) DO NOTHING
    RETURNING event_id
)
SELECT i.event_id, o.source
FROM incoming i LEFT JOIN ingest.event_owners o USING (event_id)
WHERE NOT EXISTS (SELECT 1 FROM added a WHERE a.event_id = i.event_id)
  AND o.source IS DISTINCT FROM i.source
"""


async def claim_ids(pool: asyncpg.Pool, claims: Mapping[str, str]) -> dict[str, str]:
    """Claim each event id for its source (`first_claims`: one source per id). Returns the ids
    another source owns, with that owner; every other id is now owned by its claimant."""
    if not claims:
        return {}
    # One order for every claim: two concurrent batches sharing ids wait, never deadlock.
    ids = sorted(claims)
    rows = await pool.fetch(CLAIM, ids, [claims[i] for i in ids])
    foreign = {r["event_id"]: r["source"] for r in rows if r["source"] is not None}
    racing = [r["event_id"] for r in rows if r["source"] is None]
    if racing:
        rows = await pool.fetch(
            "SELECT event_id, source FROM ingest.event_owners WHERE event_id = ANY($1::text[])",
            racing,
        )
        foreign |= {
            r["event_id"]: r["source"] for r in rows if r["source"] != claims[r["event_id"]]
        }
    return foreign
