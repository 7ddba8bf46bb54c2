"""Settings common to every service, read from the environment (12-factor)."""

from __future__ import annotations

import logging
from typing import Literal, Self
from urllib.parse import urlsplit

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from runtime.identity.settings import IdentitySettings

log = logging.getLogger("qualityloop.settings")

Environment = Literal["development", "production"]
SecurityProtocol = Literal["PLAINTEXT", "SASL_PLAINTEXT", "SSL", "SASL_SSL"]
SaslMechanism = Literal["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"]

# Values that have been published (this repository's defaults, compose file, docs): whoever
# reads the code knows them, so they are never accepted as a secret in production.
PUBLIC_SECRETS = frozenset(
    {
        "qualityloop",
        "change-me",
        "change-me-in-production",
        "dev-only-pseudonym-secret-change-me",
        "dev-only-webhook-secret-change-me",
        "secret",
        "password",
        "admin",
    }
)
MIN_SECRET_CHARS = 16


class KafkaSettings(BaseSettings):
    """How to reach Kafka, and as whom. Tools (simulator, bench) read just this part."""

    # Errors name the variable, never echo the input (it holds secrets).
    model_config = SettingsConfigDict(
        env_file=None, extra="ignore", frozen=True, hide_input_in_errors=True
    )

    kafka_bootstrap_servers: str = "127.0.0.1:19092"
    kafka_security_protocol: SecurityProtocol = "PLAINTEXT"
    kafka_sasl_mechanism: SaslMechanism = "SCRAM-SHA-512"
    kafka_sasl_username: str = ""
    kafka_sasl_password: SecretStr = SecretStr("")
    kafka_ssl_cafile: str | None = None  # CA bundle the broker's certificate is checked against
    kafka_ssl_certfile: str | None = None  # client certificate (mutual TLS)
    kafka_ssl_keyfile: str | None = None
    kafka_ssl_check_hostname: bool = True

    @model_validator(mode="after")
    def _sasl_needs_credentials(self) -> Self:
        if self.kafka_security_protocol.startswith("SASL_") and not (
            self.kafka_sasl_username and self.kafka_sasl_password.get_secret_value()
        ):
            raise ValueError(
                f"KAFKA_SECURITY_PROTOCOL={self.kafka_security_protocol} needs "
                "KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD"
            )
        return self


class CommonSettings(KafkaSettings, IdentitySettings):
    # production (the default) refuses missing or publicly known secrets at startup;
    # development (set by deploy/local and the tests) falls back to a local value, warning.
    ql_env: Environment = "production"
    database_url: str = "postgresql://qualityloop@127.0.0.1:15432/qualityloop"
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

    @model_validator(mode="after")
    def _no_public_passwords(self) -> Self:
        if self.ql_env == "development":
            return self
        db_password = urlsplit(self.database_url).password
        if db_password is not None and db_password in PUBLIC_SECRETS:
            raise ValueError("DATABASE_URL carries a publicly known password: use a generated one")
        kafka_password = self.kafka_sasl_password.get_secret_value()
        if kafka_password and kafka_password in PUBLIC_SECRETS:
            raise ValueError("KAFKA_SASL_PASSWORD is a publicly known value: use a generated one")
        return self


def require_secret(settings: CommonSettings, field: str, dev_fallback: str) -> None:
    """Call from a service settings' validator: in production a missing, publicly known or
    short secret stops the service, naming its variable; in development it falls back to
    `dev_fallback` (a public value, fine for local data only) with a warning."""
    value = getattr(settings, field)
    raw = value.get_secret_value() if isinstance(value, SecretStr) else (value or "")
    name = field.upper()
    problem = (
        "is not set"
        if not raw
        else "is a publicly known value"
        if raw in PUBLIC_SECRETS
        else f"is shorter than {MIN_SECRET_CHARS} characters"
        if len(raw) < MIN_SECRET_CHARS
        else None
    )
    if problem is None:
        return
    if settings.ql_env != "development":
        raise ValueError(
            f"{name} {problem}: set a random secret (e.g. `openssl rand -hex 32`); "
            "QL_ENV=development allows a local fallback"
        )
    if raw:
        log.warning("%s %s (accepted: QL_ENV=development)", name, problem)
        return
    log.warning("%s is not set: using a public development value (QL_ENV=development)", name)
    fallback = SecretStr(dev_fallback) if isinstance(value, SecretStr) else dev_fallback
    object.__setattr__(settings, field, fallback)  # settings are frozen once validated
