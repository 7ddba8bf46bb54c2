"""Bearer tokens by role for the read API: issued (shown once, stored as sha-256), revoked,
and checked on every request against the role matrix (`domain.access`)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Awaitable, Callable
from typing import Annotated

import asyncpg
from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from services.reporting.domain.access import SUBJECT_REQUIRED, Principal, Role
from services.reporting.read.store import access

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
    await access.insert_token(pool, token_id, digest(token), role.value, subject, label)
    return token_id, token


async def principal_of(pool: asyncpg.Pool, token: str) -> Principal | None:
    row = await access.active_token(pool, digest(token))
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
