"""Ingest settings (environment variables, e.g. `PSEUDONYM_SECRET`, `HTTP_PORT`)."""

from __future__ import annotations

from pydantic import SecretStr

from runtime.settings import CommonSettings

DEV_SECRET = "dev-only-pseudonym-secret-change-me"


class IngestSettings(CommonSettings):
    http_host: str = "127.0.0.1"
    http_port: int = 8080
    pseudonym_key_id: str = "dev"
    pseudonym_secret: SecretStr = SecretStr(DEV_SECRET)
    max_batch_events: int = 1000
    max_body_bytes: int = 8 * 1024 * 1024
    publish_timeout_s: float = 10.0
    retry_after_s: int = 5
    key_cache_ttl_s: float = 10.0
