"""Bearer tokens by role for the read API, and the access log of individual records."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated

import asyncpg
from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from services.reporting.domain.access import SUBJECT_REQUIRED, Principal, Role

PREFIX = "qlr_"
# Documents the scheme in OpenAPI; refusals stay ours (401 with our error body).
BEARER = HTTPBearer(auto_error=False, description="a token from `tokens create`")


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_token(
    pool: asyncpg.Pool, role: Role, subject: str | None, label: str
) -> tuple[str, str]:
    """Returns (token id, token); only the token's sha-256 is stored."""
    if role in SUBJECT_REQUIRED and not subject:
        raise ValueError(f"role {role.value} needs --subject (the {SUBJECT_REQUIRED[role]})")
    token_id = secrets.token_hex(6)
    token = f"{PREFIX}{secrets.token_urlsafe(32)}"
    await pool.execute(
        "INSERT INTO reporting.api_tokens (token_id, token_sha256, role, subject, label) "
        "VALUES ($1, $2, $3, $4, $5)",
        token_id,
        digest(token),
        role.value,
        subject,
        label,
    )
    return token_id, token


async def revoke_token(pool: asyncpg.Pool, token_id: str) -> bool:
    status = await pool.execute(
        "UPDATE reporting.api_tokens SET revoked_at = now() "
        "WHERE token_id = $1 AND revoked_at IS NULL",
        token_id,
    )
    return status.endswith(" 1")


async def principal_of(pool: asyncpg.Pool, token: str) -> Principal | None:
    row = await pool.fetchrow(
        "SELECT token_id, role, subject FROM reporting.api_tokens "
        "WHERE token_sha256 = $1 AND revoked_at IS NULL",
        digest(token),
    )
    return Principal(row["token_id"], Role(row["role"]), row["subject"]) if row else None


def allow(endpoint: str) -> Callable[..., Awaitable[Principal]]:
    """FastAPI dependency: 401 without a valid token, 403 when the role may not use `endpoint`."""

    async def dependency(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)],
    ) -> Principal:
        if credentials is None or not credentials.credentials.strip():
            raise HTTPException(401, "missing bearer token", {"WWW-Authenticate": "Bearer"})
        principal = await principal_of(request.app.state.pool, credentials.credentials.strip())
        if principal is None:
            raise HTTPException(401, "unknown or revoked token", {"WWW-Authenticate": "Bearer"})
        if not principal.may(endpoint):
            raise HTTPException(403, f"role {principal.role.value} may not read {endpoint}")
        return principal

    return dependency


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
