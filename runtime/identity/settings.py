"""Identity settings every service reads, and the kit's start-up wiring."""

from __future__ import annotations

from pathlib import Path
from typing import Self

import asyncpg
from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from runtime.db import migrate
from runtime.identity.http import Authenticator
from runtime.identity.jwt import JwtVerifier
from runtime.identity.store import SCHEMA

MIGRATIONS = Path(__file__).parent / "migrations"


class IdentitySettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", frozen=True)

    # Optional: JWTs from the organisation's identity provider (local tokens always work).
    auth_jwks_url: str | None = None
    auth_jwt_issuer: str | None = None
    auth_jwt_audience: str | None = None
    auth_jwt_role_claim: str = "ql_role"
    auth_jwt_subject_claim: str = "ql_subject"
    # How long a local token's lookup is cached: a revocation takes effect within this time.
    auth_token_cache_s: float = 10.0

    @model_validator(mode="after")
    def _jwt_complete(self) -> Self:
        if self.auth_jwks_url and not (self.auth_jwt_issuer and self.auth_jwt_audience):
            raise ValueError("AUTH_JWKS_URL needs AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE")
        return self


def verifier(settings: IdentitySettings) -> JwtVerifier | None:
    if not settings.auth_jwks_url:
        return None
    assert settings.auth_jwt_issuer and settings.auth_jwt_audience
    return JwtVerifier(
        settings.auth_jwks_url,
        settings.auth_jwt_issuer,
        settings.auth_jwt_audience,
        settings.auth_jwt_role_claim,
        settings.auth_jwt_subject_claim,
    )


async def migrate_identity(database_url: str) -> None:
    """Bring the shared identity schema up to date (every service does, before its own)."""
    await migrate(MIGRATIONS, database_url, SCHEMA)


def authenticator(pool: asyncpg.Pool, settings: IdentitySettings) -> Authenticator:
    return Authenticator(pool, verifier(settings), ttl_s=settings.auth_token_cache_s)
