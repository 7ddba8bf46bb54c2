"""Postgres on the local stack: nobody is trusted (every role proves its password, SCRAM), and
each service connects as its own role (`ql_<service>`, no superuser), owning its schema and
nothing else: it migrates it, and cannot read, write or create in another's."""

from __future__ import annotations

import asyncio
from itertools import permutations
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import pytest

from runtime.db import migrate
from tests.conftest import Servers
from tests.secure_kafka import SERVICES, ServiceDatabase, service_database

MIGRATIONS = Path(__file__).resolve().parents[2] / "services"


@pytest.fixture(scope="module")
async def roles(servers: Servers) -> ServiceDatabase:
    db = await asyncio.to_thread(service_database, servers.admin_url)
    if db is None:
        pytest.skip("per-service roles come from deploy/local/stack.sh's Postgres")
    for service in SERVICES:  # each as its own role, as the service itself does at start
        await migrate(MIGRATIONS / service / "migrations", db.urls[service], service)
    return db


def with_password(url: str, password: str | None) -> str:
    parts = urlsplit(url)
    secret = "" if password is None else f":{password}"
    return parts._replace(netloc=f"{parts.username}{secret}@{parts.hostname}:{parts.port}").geturl()


async def test_every_schema_belongs_to_its_service_role(roles: ServiceDatabase) -> None:
    conn = await asyncpg.connect(roles.admin_url)
    try:
        for service in SERVICES:
            owners = await conn.fetch(
                "SELECT DISTINCT pg_get_userbyid(c.relowner) AS owner FROM pg_class c "
                "WHERE c.relnamespace = $1::regnamespace",
                service,
            )
            assert [r["owner"] for r in owners] == [f"ql_{service}"], service
            schema_owner = await conn.fetchval(
                "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = $1", service
            )
            assert schema_owner == f"ql_{service}"
        # reporting's BI role still reads its views, granted by reporting's own role
        assert await conn.fetchval(
            "SELECT has_table_privilege('bi_reader', 'reporting.kpi_daily', 'SELECT')"
        )
    finally:
        await conn.close()


@pytest.mark.parametrize(("service", "other"), list(permutations(SERVICES, 2)))
async def test_a_service_role_cannot_touch_another_schema(
    roles: ServiceDatabase, service: str, other: str
) -> None:
    conn = await asyncpg.connect(roles.urls[service])
    try:
        await conn.fetchval(f"SELECT count(*) FROM {service}.alembic_version")  # its own: fine
        for statement in (
            f"SELECT * FROM {other}.alembic_version",
            f"INSERT INTO {other}.alembic_version VALUES ('forged')",
            f"DELETE FROM {other}.alembic_version",
            f"CREATE TABLE {other}.intruder (i int)",
        ):
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.execute(statement)
    finally:
        await conn.close()


@pytest.mark.parametrize("service", SERVICES)
async def test_service_roles_hold_no_privilege_beyond_their_schema(
    roles: ServiceDatabase, service: str
) -> None:
    conn = await asyncpg.connect(roles.urls[service])
    try:
        role = await conn.fetchrow(
            "SELECT rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls "
            "FROM pg_roles WHERE rolname = current_user"
        )
        assert not any(role.values()), dict(role)
        for statement in (
            "CREATE SCHEMA intruder",
            "CREATE TABLE public.intruder (i int)",
            "CREATE ROLE intruder",
            "ALTER ROLE current_user SUPERUSER",
        ):
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.execute(statement)
    finally:
        await conn.close()


async def test_nobody_gets_in_without_the_password(roles: ServiceDatabase) -> None:
    for url in (roles.urls["reporting"], roles.admin_url):
        for password in ("wrong-password", None):
            with pytest.raises(asyncpg.InvalidPasswordError):
                await asyncpg.connect(with_password(url, password))
    conn = await asyncpg.connect(roles.admin_url)
    try:
        methods = {r["auth_method"] for r in await conn.fetch("SELECT * FROM pg_hba_file_rules")}
    finally:
        await conn.close()
    assert methods == {"scram-sha-256"}
