"""Settings common to every service, read from the environment (12-factor)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class CommonSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", frozen=True)

    kafka_bootstrap_servers: str = "127.0.0.1:19092"
    database_url: str = "postgresql://qualityloop:qualityloop@127.0.0.1:15432/qualityloop"
    log_level: str = "INFO"
    # Consumer batches: large enough to amortise a Postgres transaction, small enough to keep
    # a batch's handling well under max.poll.interval.ms.
    batch_max_records: int = 2000
    batch_timeout_ms: int = 200
    graceful_timeout_s: float = 20.0
    create_topics: bool = True
