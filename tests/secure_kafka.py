"""A Kafka broker with SASL/SCRAM and ACLs, started through deploy/local/stack.sh
(QL_KAFKA_SECURE=1) on ports and a home of its own, once per test session; and the
per-service Postgres roles of the local stack (`stack.sh db-roles`)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from runtime.kafka_security import client_options
from runtime.settings import KafkaSettings
from tests.databases import fresh_database
from tests.processes import ROOT, TRUSTED_UNTIL_MEASURED, Service, free_port

STACK = ROOT / "deploy" / "local" / "stack.sh"
SERVICES = ("ingest", "scoring", "actions", "reporting")


def _exports(text: str) -> dict[str, str]:
    return dict(
        line.removeprefix("export ").split("=", 1) for line in text.splitlines() if "=" in line
    )


def stack(env: dict[str, str], *args: str) -> dict[str, str]:
    """Run `stack.sh args...` with `env`; the variables it prints (for env commands)."""
    out = subprocess.run(
        [str(STACK), *args], env={**os.environ, **env}, check=True, capture_output=True, text=True
    )
    return _exports(out.stdout)


@dataclass(frozen=True)
class SecureKafka:
    bootstrap: str
    stack_env: dict[str, str]

    def env(self, principal: str) -> dict[str, str]:
        """KAFKA_* variables for `principal` (admin, a service, or source)."""
        found = stack(self.stack_env, "service-env", principal)
        kafka = {k: v for k, v in found.items() if k.startswith("KAFKA_")}
        return {**kafka, "KAFKA_BOOTSTRAP_SERVERS": self.bootstrap}

    def settings(self, principal: str, password: str | None = None) -> KafkaSettings:
        values = {k.lower(): v for k, v in self.env(principal).items()}
        if password is not None:
            values["kafka_sasl_password"] = password
        return KafkaSettings(**values)

    def producer(self, principal: str, **options: object) -> AIOKafkaProducer:
        return AIOKafkaProducer(
            **client_options(self.settings(principal)),
            acks="all",
            enable_idempotence=True,
            request_timeout_ms=10_000,
            **options,
        )

    async def end_offsets(self, topic: str) -> dict[int, int]:
        """As admin: where `topic` ends, per partition."""
        consumer = AIOKafkaConsumer(
            **client_options(self.settings("admin")), enable_auto_commit=False
        )
        await consumer.start()
        try:
            await consumer._client.force_metadata_update()
            parts = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
            assert parts, f"admin sees no partitions of {topic}"
            ends = await consumer.end_offsets(parts)
            return {tp.partition: offset for tp, offset in ends.items()}
        finally:
            await consumer.stop()


@contextmanager
def secure_broker(home: Path) -> Iterator[SecureKafka]:
    env = {
        "QL_HOME": str(home),
        "QL_KAFKA_SECURE": "1",
        "QL_KAFKA_PORT": str(free_port()),
        "QL_KAFKA_CONTROLLER_PORT": str(free_port()),
    }
    try:
        stack(env, "kafka-up")
        yield SecureKafka(f"127.0.0.1:{env['QL_KAFKA_PORT']}", env)
    finally:
        stack(env, "kafka-down")


@pytest.fixture(scope="session")
def secure_kafka(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecureKafka]:
    with secure_broker(tmp_path_factory.mktemp("secure-kafka")) as kafka:
        yield kafka


# ------------------------------------------------------------------ Postgres roles


def pg_stack_env(admin_url: str) -> dict[str, str] | None:
    """The local stack that serves `admin_url` (its QL_HOME and port), or None when the
    servers came from elsewhere (testcontainers, a named server)."""
    home = Path(os.environ.get("QL_HOME") or ROOT / ".local" / "test-stack")
    port = urlsplit(admin_url).port
    if port is None or not (home / "secrets.env").exists():
        return None
    env = {"QL_HOME": str(home), "QL_PG_PORT": str(port)}
    stack_url = stack(env, "env")["DATABASE_URL"]
    same = stack_url.rsplit("/", 1)[0] == admin_url.rsplit("/", 1)[0]
    return env if same else None


@dataclass(frozen=True)
class ServiceDatabase:
    admin_url: str  # the owner's view of the database, for assertions
    urls: dict[str, str]  # service -> its own role's URL


def role_urls(admin_url: str, database: str) -> dict[str, str]:
    """Each service's own role (schemas owned by `ql_<service>`, `stack.sh db-roles`) in
    `database`; empty when the servers are not the local stack's."""
    env = pg_stack_env(admin_url)
    if env is None:
        return {}
    stack(env, "db-roles", database)
    return {s: stack(env, "service-env", s, database)["DATABASE_URL"] for s in SERVICES}


def service_database(admin_url: str) -> ServiceDatabase | None:
    """A fresh database whose schemas belong to the services' own roles; None when the
    servers are not the local stack's."""
    if pg_stack_env(admin_url) is None:
        return None
    url = fresh_database(admin_url, "ql_roles")
    return ServiceDatabase(url, role_urls(admin_url, url.rsplit("/", 1)[1]))


def secure_platform(
    kafka: SecureKafka, database: dict[str, str], **extra: str
) -> dict[str, Service]:
    """The four services as processes, each with its own Kafka principal and database URL."""
    common = {
        "BATCH_TIMEOUT_MS": "50",
        "GRACEFUL_TIMEOUT_S": "10",
        "QL_ENV": "development",
        **TRUSTED_UNTIL_MEASURED,
    }
    return {
        s: Service(s, free_port(), {**common, **kafka.env(s), "DATABASE_URL": database[s], **extra})
        for s in SERVICES
    }
