"""The shared identity schema in Postgres: four services migrating it at once on a fresh
database all succeed; with per-service roles, services read tokens and append to the access
log, and none can issue a token (nor read the log, but reporting)."""

from __future__ import annotations

import asyncio
import os
import sys

import asyncpg
import pytest

from runtime.identity.settings import migrate_identity
from tests.conftest import Servers
from tests.databases import fresh_database
from tests.processes import ROOT
from tests.secure_kafka import SERVICES, ServiceDatabase, service_database


async def test_a_service_starting_while_another_creates_identity_waits_for_it(
    servers: Servers,
) -> None:
    """Another service is half-way through creating the schema (its transaction holds the
    migration lock and an uncommitted CREATE SCHEMA): a second one waits, then finds the
    schema and migrates it, instead of failing on a duplicate schema name."""
    url = await asyncio.to_thread(fresh_database, servers.admin_url, "ql_ident")
    first = await asyncpg.connect(url)
    try:
        tx = first.transaction()
        await tx.start()
        await first.execute("SELECT pg_advisory_xact_lock(hashtext('identity'))")
        await first.execute("CREATE SCHEMA identity")
        second = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "runtime.identity",
            "migrate",
            env={**os.environ, "DATABASE_URL": url},
            cwd=ROOT,
            stderr=asyncio.subprocess.PIPE,
        )
        await asyncio.sleep(3)
        assert second.returncode is None  # waiting for the first
        await tx.commit()
        _, err = await asyncio.wait_for(second.communicate(), 60)
        assert second.returncode == 0, err.decode()[-2000:]
        assert await first.fetchval("SELECT version_num FROM identity.alembic_version")
    finally:
        await first.close()


@pytest.fixture(scope="module")
async def roles(servers: Servers) -> ServiceDatabase:
    db = await asyncio.to_thread(service_database, servers.admin_url)
    if db is None:
        pytest.skip("per-service roles come from deploy/local/stack.sh's Postgres")
    return db


@pytest.mark.parametrize("service", SERVICES)
async def test_a_service_reads_tokens_and_appends_reads_but_issues_nothing(
    roles: ServiceDatabase, service: str
) -> None:
    conn = await asyncpg.connect(roles.urls[service])
    try:
        await migrate_identity(roles.urls[service])  # at head: a no-op it may run at start
        await conn.fetch("SELECT token_id FROM identity.tokens LIMIT 1")
        await conn.execute(
            "INSERT INTO identity.access_log (token_id, role, service, record_type, record_id, "
            "path) VALUES ('t', 'ops_manager', $1, 'test', 'r', '/x')",
            service,
        )
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute(
                "INSERT INTO identity.tokens (token_id, token_sha256, role, label) "
                "VALUES ('forged', 'x', 'admin', 'forged')"
            )
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute("UPDATE identity.tokens SET revoked_at = NULL")
        if service == "reporting":
            assert await conn.fetchval("SELECT count(*) FROM identity.access_log") >= 1
        else:
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.fetch("SELECT * FROM identity.access_log")
    finally:
        await conn.close()
