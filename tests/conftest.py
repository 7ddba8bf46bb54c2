"""Session fixtures: real Kafka and Postgres, picked in this order:
1. servers named by environment variables (KAFKA_BOOTSTRAP_SERVERS, DATABASE_URL);
2. testcontainers' Kafka and Postgres modules, where a Docker engine answers;
3. the local processes of deploy/local/stack.sh (the path CI takes on a machine without Docker).
Each test session gets a fresh database, so runs never see each other's rows.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# Services refuse to start without real secrets outside development; tests are development
# (their processes inherit this). Set before any settings are read.
os.environ.setdefault("QL_ENV", "development")
# One BLAS thread, as the scoring service runs (services/scoring/__main__.py): AutoQA's small
# matrix products only lose to threads fighting over two shared cores.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from contracts import topics
from runtime.kafka import ensure_topics
from tests.databases import fresh_database
from tests.secure_kafka import role_urls, secure_kafka  # noqa: F401 (a session fixture)

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Servers:
    kafka: str
    database_url: str  # a database of its own for this session (as its owner)
    admin_url: str
    # service -> its own role's URL to that database (local stack only; else empty)
    roles: dict[str, str] = field(default_factory=dict)


def _docker_answers() -> bool:
    try:
        import docker  # testcontainers' dependency

        docker.from_env(timeout=3).ping()
        return True
    except Exception:  # no engine, no socket, no permission: all mean "no Docker here"
        return False


def _from_env() -> tuple[str, str] | None:
    kafka, db = os.environ.get("KAFKA_BOOTSTRAP_SERVERS"), os.environ.get("DATABASE_URL")
    return (kafka, db) if kafka and db else None


def _from_containers(stack: ExitStack) -> tuple[str, str]:
    from testcontainers.kafka import KafkaContainer
    from testcontainers.postgres import PostgresContainer

    kafka = stack.enter_context(KafkaContainer("apache/kafka:4.1.2").with_kraft())
    pg = stack.enter_context(PostgresContainer("postgres:16", driver=None))
    return kafka.get_bootstrap_server(), pg.get_connection_url()


# The same test stack as deploy/local/test.sh: its own data and ports, apart from the demo's.
TEST_STACK = {"QL_KAFKA_PORT": "19192", "QL_KAFKA_CONTROLLER_PORT": "19193", "QL_PG_PORT": "15532"}


def _from_local_stack() -> tuple[str, str]:
    script = ROOT / "deploy" / "local" / "stack.sh"
    env = {**os.environ, **TEST_STACK, "QL_HOME": str(ROOT / ".local" / "test-stack")}
    subprocess.run([str(script), "up"], check=True, env=env)
    out = subprocess.run([str(script), "env"], check=True, capture_output=True, text=True, env=env)
    env = dict(
        line.removeprefix("export ").split("=", 1)
        for line in out.stdout.splitlines()
        if "=" in line
    )
    for name in ("PSEUDONYM_SECRET", "WEBHOOK_SECRET"):  # the stack's generated secrets
        os.environ.setdefault(name, env[name])
    return env["KAFKA_BOOTSTRAP_SERVERS"], env["DATABASE_URL"]


_fresh_database = fresh_database  # the name other test modules import


@pytest.fixture(scope="session")
def servers() -> Iterator[Servers]:
    with ExitStack() as stack:
        found = _from_env()
        if found is None:
            found = _from_containers(stack) if _docker_answers() else _from_local_stack()
        kafka, admin_url = found
        asyncio.run(ensure_topics(kafka, topics.ALL))  # as every service does at start
        url = _fresh_database(admin_url)
        yield Servers(kafka, url, admin_url, role_urls(admin_url, url.rsplit("/", 1)[1]))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: starts a broker or four processes of its own")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests by folder, so `-m unit` / `-m e2e` select as a newcomer would expect."""
    for item in items:
        path = str(item.fspath)
        for kind in ("unit", "integration", "e2e", "fault"):
            if f"/tests/{kind}/" in path:
                item.add_marker(getattr(pytest.mark, kind))
