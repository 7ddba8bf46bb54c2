"""The bi_reader role reads aggregate views and is refused on event-grain tables."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import asyncpg
import pytest

from tests.conftest import Servers

VIEWS = [
    "kpi_15min",
    "kpi_daily",
    "qa_daily",
    "survey_daily",
    "complaints_daily",
    "complaint_rate_daily",
    "actions_summary",
]
RAW = [
    "interaction_facts",
    "survey_facts",
    "complaint_facts",
    "evaluation_facts",
    "actions",
    "interval_counters",
    "inbox",
]


@pytest.fixture
async def bi(migrated: Servers, pool: asyncpg.Pool) -> asyncpg.Connection:
    user = f"metabase_{uuid.uuid4().hex[:8]}"
    await pool.execute(f"CREATE ROLE {user} LOGIN PASSWORD 'pw' IN ROLE bi_reader")
    parts = urlsplit(migrated.database_url)  # the same server and database, as `user`
    url = parts._replace(netloc=f"{user}:pw@{parts.hostname}:{parts.port}").geturl()
    return await asyncpg.connect(url)


async def test_bi_reader_sees_views_but_not_event_grain_tables(bi: asyncpg.Connection) -> None:
    try:
        for view in VIEWS:
            await bi.fetch(f"SELECT * FROM reporting.{view} LIMIT 1")
        for table in RAW:
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await bi.fetch(f"SELECT * FROM reporting.{table} LIMIT 1")
        writes = await bi.fetchval(
            "SELECT bool_or(has_table_privilege('bi_reader', c.oid, 'INSERT,UPDATE,DELETE')) "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'reporting'"
        )
        assert writes is False
    finally:
        await bi.close()
