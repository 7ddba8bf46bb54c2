"""Ingest settings (environment variables, e.g. `PSEUDONYM_SECRET`, `HTTP_PORT`)."""

from __future__ import annotations

from typing import Self

from pydantic import Field, SecretStr, field_validator, model_validator

from runtime.settings import CommonSettings, require_secret
from services.ingest.domain.rawsources import RawTopics, validate_sources

# Public, so refused in production; development falls back to it when no secret is set.
DEV_SECRET = "dev-only-pseudonym-secret-change-me"


class IngestSettings(CommonSettings):
    http_host: str = "127.0.0.1"
    http_port: int = 8080
    pseudonym_key_id: str = "dev"
    pseudonym_secret: SecretStr = SecretStr("")  # HMAC key for customer references
    max_batch_events: int = 1000
    max_body_bytes: int = 8 * 1024 * 1024
    publish_timeout_s: float = 10.0
    retry_after_s: int = 5
    key_cache_ttl_s: float = 10.0

    @model_validator(mode="after")
    def _secret_is_real(self) -> Self:
        require_secret(self, "pseudonym_secret", DEV_SECRET)
        return self

    # Per-source raw topics: `raw.<family>.<slug>` records get the slug's source, e.g.
    # RAW_SOURCES='{"genesys": "/acd/genesys"}' (JSON) reads raw.interactions.genesys & co.
    raw_sources: dict[str, str] = Field(default_factory=dict)
    # Whether the shared raw.<family> topics (source as claimed) are read at all: a secured
    # deployment, where only per-source topics prove who wrote a record, sets it false.
    raw_trusted_topics: bool = True

    @field_validator("raw_sources")
    @classmethod
    def _slugs(cls, value: dict[str, str]) -> dict[str, str]:
        return validate_sources(value)

    @property
    def raw_topics(self) -> RawTopics:
        return RawTopics(self.raw_sources, self.raw_trusted_topics)
