"""The `identity` schema every service reads: local tokens (only their sha-256 is stored) and
the access log of individual records. All of the kit's SQL is here."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import asyncpg

from runtime.identity.model import Principal, Role, ensure_subject

SCHEMA = "identity"
PREFIX = "qlt_"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_token(
    pool: asyncpg.Pool,
    role: Role,
    subject: str | None,
    label: str,
    expires_at: datetime | None = None,
) -> tuple[str, str]:
    """Returns (token id, token); the token itself is shown once and never stored."""
    ensure_subject(role, subject)
    token_id = secrets.token_hex(6)
    token = f"{PREFIX}{secrets.token_urlsafe(32)}"
    await pool.execute(
        "INSERT INTO identity.tokens (token_id, token_sha256, role, subject, label, expires_at) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        token_id,
        digest(token),
        role.value,
        subject,
        label,
        expires_at,
    )
    return token_id, token


async def revoke_token(pool: asyncpg.Pool, token_id: str) -> bool:
    status = await pool.execute(
        "UPDATE identity.tokens SET revoked_at = now() WHERE token_id = $1 AND revoked_at IS NULL",
        token_id,
    )
    return str(status).endswith(" 1")


async def list_tokens(pool: asyncpg.Pool) -> list[dict[str, Any]]:
    rows = await pool.fetch(
        "SELECT token_id, role, subject, label, created_at, expires_at, revoked_at "
        "FROM identity.tokens ORDER BY created_at"
    )
    return [dict(r) for r in rows]


async def principal_of(pool: asyncpg.Pool, token: str) -> Principal | None:
    row = await pool.fetchrow(
        "SELECT token_id, role, subject, label FROM identity.tokens WHERE token_sha256 = $1 "
        "AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())",
        digest(token),
    )
    if row is None:
        return None
    return Principal(row["token_id"], Role(row["role"]), row["subject"], row["label"])


async def log_access(
    pool: asyncpg.Pool,
    who: Principal,
    service: str,
    record_type: str,
    records: Sequence[tuple[str, str | None]],
    path: str,
) -> None:
    """One row per individual record read (record id, agent id), written before it is served."""
    if not records:
        return
    await pool.execute(
        """INSERT INTO identity.access_log
               (token_id, role, subject, service, record_type, record_id, agent_id, path)
           SELECT $1, $2, $3, $4, $5, r, a, $8 FROM unnest($6::text[], $7::text[]) AS x(r, a)""",
        who.token_id,
        who.role.value,
        who.subject,
        service,
        record_type,
        [r for r, _ in records],
        [a for _, a in records],
        path,
    )


async def read_access_log(
    pool: asyncpg.Pool, agent_id: str | None, limit: int, offset: int
) -> list[dict[str, Any]]:
    rows = await pool.fetch(
        """SELECT id, at, token_id, role, subject, service, record_type, record_id, agent_id,
                  path
             FROM identity.access_log WHERE ($1::text IS NULL OR agent_id = $1)
            ORDER BY at DESC, id DESC LIMIT $2 OFFSET $3""",
        agent_id,
        limit,
        offset,
    )
    return [dict(r) for r in rows]
