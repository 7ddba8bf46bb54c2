"""Access tables: read-API tokens (stored as sha-256 only) and the log of individual records
read."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from services.reporting.domain.access import Principal


async def insert_token(
    pool: asyncpg.Pool, token_id: str, sha256: str, role: str, subject: str | None, label: str
) -> None:
    await pool.execute(
        "INSERT INTO reporting.api_tokens (token_id, token_sha256, role, subject, label) "
        "VALUES ($1, $2, $3, $4, $5)",
        token_id,
        sha256,
        role,
        subject,
        label,
    )


async def revoke_token(pool: asyncpg.Pool, token_id: str) -> bool:
    """False when no active token has this id."""
    status = await pool.execute(
        "UPDATE reporting.api_tokens SET revoked_at = now() "
        "WHERE token_id = $1 AND revoked_at IS NULL",
        token_id,
    )
    return status.endswith(" 1")


async def active_token(pool: asyncpg.Pool, sha256: str) -> asyncpg.Record | None:
    return await pool.fetchrow(
        "SELECT token_id, role, subject FROM reporting.api_tokens "
        "WHERE token_sha256 = $1 AND revoked_at IS NULL",
        sha256,
    )


async def tokens(pool: asyncpg.Pool) -> list[asyncpg.Record]:
    return await pool.fetch(
        "SELECT token_id, role, subject, label, revoked_at FROM reporting.api_tokens "
        "ORDER BY created_at"
    )


async def log_access(
    pool: asyncpg.Pool,
    who: Principal,
    record_type: str,
    records: Sequence[tuple[str, str | None]],
    path: str,
) -> None:
    """One row per individual record read (record id, agent id), written before it is served."""
    if not records:
        return
    await pool.execute(
        """INSERT INTO reporting.access_log
               (token_id, role, subject, record_type, record_id, agent_id, path)
           SELECT $1, $2, $3, $4, r, a, $7 FROM unnest($5::text[], $6::text[]) AS x(r, a)""",
        who.token_id,
        who.role.value,
        who.subject,
        record_type,
        [r for r, _ in records],
        [a for _, a in records],
        path,
    )


async def access_log(
    pool: asyncpg.Pool, agent_id: str | None, limit: int, offset: int
) -> list[asyncpg.Record]:
    """Newest first."""
    return await pool.fetch(
        """SELECT id, at, token_id, role, subject, record_type, record_id, agent_id, path
           FROM reporting.access_log WHERE ($1::text IS NULL OR agent_id = $1)
           ORDER BY id DESC LIMIT $2 OFFSET $3""",
        agent_id,
        limit,
        offset,
    )
