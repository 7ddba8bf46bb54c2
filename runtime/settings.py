"""Settings common to every service, read from the environment (12-factor)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from runtime.identity.settings import IdentitySettings


class CommonSettings(IdentitySettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", frozen=True)

    kafka_bootstrap_servers: str = "127.0.0.1:19092"
    database_url: str = "postgresql://qualityloop:qualityloop@127.0.0.1:15432/qualityloop"
    log_level: str = "INFO"
    # Request bodies above this answer 413 before they are read (ingest sets its own, larger).
    http_max_body_bytes: int = 1024 * 1024
    # Consumer batches: large enough to amortise a Postgres transaction, small enough to keep
    # a batch's handling well under max.poll.interval.ms.
    batch_max_records: int = 2000
    batch_timeout_ms: int = 200
    # What the consumer prefetches bounds its memory: records fetched ahead wait as Python
    # objects. aiokafka's defaults (50 MB, 1 MB per partition) left reporting at 636 MB RSS
    # after 20k scored events; 2 MB / 512 KB: 277 MB and no slower (bench/reporting_bench.py).
    fetch_max_bytes: int = 2 * 1024 * 1024
    max_partition_fetch_bytes: int = 512 * 1024
    graceful_timeout_s: float = 20.0
    # A consumer with lag whose batch has not finished for this long is reported stuck
    # (readiness 503): far above a healthy batch (< 1 s), below an operator's patience.
    consumer_stall_after_s: float = 60.0
    create_topics: bool = True
