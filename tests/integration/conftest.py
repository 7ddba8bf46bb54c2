"""Integration fixtures: a migrated database per session, a pool per test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from runtime.db import migrate
from runtime.identity.settings import migrate_identity
from tests.conftest import Servers

SERVICES = Path(__file__).resolve().parents[2] / "services"


@pytest.fixture(scope="session")
async def migrated(servers: Servers) -> Servers:
    await migrate_identity(servers.database_url)  # as every service does, before its own
    for schema in ("actions", "reporting"):
        await migrate(SERVICES / schema / "migrations", servers.database_url, schema)
    return servers


@pytest.fixture
async def pool(migrated: Servers) -> AsyncIterator[asyncpg.Pool]:
    p = await asyncpg.create_pool(migrated.database_url, min_size=1, max_size=4)
    assert p is not None
    yield p
    await p.close()
