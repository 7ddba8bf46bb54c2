"""Run QualityLoop services as real OS processes for end-to-end and fault tests."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
LOGS = ROOT / "test-artifacts" / "logs"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Service:
    name: str
    port: int
    env: dict[str, str]
    proc: subprocess.Popen[bytes] | None = None
    log_path: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log_path = LOGS / f"{self.name}-{self.port}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        LOGS.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", f"services.{self.name}"],
            cwd=ROOT,
            env={**os.environ, **self.env, "HTTP_PORT": str(self.port)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited {self.proc.returncode}: {self.tail()}")
            try:
                if httpx.get(self.url + "/ready", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise TimeoutError(f"{self.name} not ready in {timeout}s: {self.tail()}")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30.0) -> int:
        """Send `sig` and wait; returns the exit code."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else 0
        self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise

    def tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


# Platforms started for tests have no human evaluations yet, and their AutoQA assertions (a
# critical breach coached, the simulated day's patterns found) predate the trust gate: their
# automated criteria are trusted until measured. The gate has its own integration test.
TRUSTED_UNTIL_MEASURED = {"AUTOQA_GATE_UNMEASURED": "trusted"}


def platform(
    kafka: str, database_url: str, roles: Mapping[str, str] | None = None, **extra: str
) -> dict[str, Service]:
    """The four services; each connects with its own role's URL where `roles` names one."""
    env = {
        "KAFKA_BOOTSTRAP_SERVERS": kafka,
        "DATABASE_URL": database_url,
        "BATCH_TIMEOUT_MS": "50",
        "GRACEFUL_TIMEOUT_S": "10",
        **TRUSTED_UNTIL_MEASURED,
        **extra,
    }
    return {
        n: Service(n, free_port(), {**env, "DATABASE_URL": (roles or {}).get(n, database_url)})
        for n in ("ingest", "scoring", "actions", "reporting")
    }


@contextmanager
def running(
    kafka: str, database_url: str, roles: Mapping[str, str] | None = None
) -> Iterator[dict[str, Service]]:
    """The four services as processes, consuming only what is sent from now on; stopped
    (SIGTERM) on exit."""
    from tests.kafka_helpers import skip_all_backlogs

    asyncio.run(skip_all_backlogs(kafka))
    procs = platform(kafka, database_url, roles)
    for s in procs.values():
        s.start()
    try:
        for s in procs.values():
            s.wait_ready()
        yield procs
    finally:
        for s in procs.values():
            s.stop()


async def person_token(database_url: str, role: str, subject: str | None = None) -> str:
    """Migrate the shared identity schema and create a person's or tool's bearer token."""
    from runtime.db import create_pool, migrate
    from runtime.identity import Role
    from runtime.identity.settings import MIGRATIONS
    from runtime.identity.store import SCHEMA, create_token

    await migrate(MIGRATIONS, database_url, SCHEMA)
    pool = await create_pool(database_url)
    try:
        return (await create_token(pool, Role(role), subject, f"test {role}"))[1]
    finally:
        await pool.close()


async def ops_headers(database_url: str) -> dict[str, str]:
    """An operations manager's Authorization header (sees and moves everything)."""
    return {"Authorization": f"Bearer {await person_token(database_url, 'ops_manager')}"}


async def api_key(database_url: str, source: str = "/test/acd", types: str = "*") -> str:
    """Migrate ingest's schema and create an API key for a test source system."""
    from runtime.db import create_pool, migrate
    from services.ingest.store import create_key

    await migrate(ROOT / "services" / "ingest" / "migrations", database_url, "ingest")
    pool = await create_pool(database_url)
    try:
        return (await create_key(pool, source, types.split(",")))[1]
    finally:
        await pool.close()
