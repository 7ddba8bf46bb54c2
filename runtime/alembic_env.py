"""Shared Alembic env: each service's `migrations/env.py` calls `run()`.

Every service keeps its tables and its Alembic version table in its own schema.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

OWNER = text(
    "SELECT r.rolname, r.rolname <> current_user AND pg_has_role(r.oid, 'MEMBER') "
    "FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner WHERE n.nspname = :s"
)


def _do_run(connection: Connection, schema: str) -> None:
    # A schema made beforehand for the service's own role (deploy/local/stack.sh) needs no
    # CREATE right on the database (CREATE SCHEMA IF NOT EXISTS would still demand it), and
    # whoever migrates it (that role, an administrator, a test) creates objects as its owner,
    # so the service's role can always use them.
    # Serialise first: several services migrate the shared `identity` schema at once, and
    # CREATE SCHEMA IF NOT EXISTS is not safe against a concurrent creator.
    connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:s))"), {"s": schema})
    found = connection.execute(OWNER, {"s": schema}).first()
    if found is None:
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    elif found[1]:
        connection.execute(text(f'SET ROLE "{found[0]}"'))
    context.configure(
        connection=connection,
        target_metadata=None,
        version_table_schema=schema,
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        # Serialise concurrent upgrades (several processes of one service starting together).
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:s))"), {"s": schema})
        context.run_migrations()


async def _run_async(url: str, schema: str) -> None:
    engine = create_async_engine(url, poolclass=NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(_do_run, schema)
        await connection.commit()
    await engine.dispose()


def run() -> None:
    config = context.config
    url = config.get_main_option("sqlalchemy.url")
    schema = config.attributes["version_table_schema"]
    assert url, "sqlalchemy.url must be set"
    asyncio.run(_run_async(url, schema))


def execute_script(sql: str) -> None:
    """Run a multi-statement SQL script inside the migration's transaction.

    SQLAlchemy's asyncpg dialect prepares every statement (one command each); asyncpg's own
    `execute` without arguments uses the simple protocol, which takes a whole script.
    """
    from alembic import op
    from sqlalchemy.util import await_

    raw = op.get_bind().connection.dbapi_connection.driver_connection  # type: ignore[union-attr]
    await_(raw.execute(sql))
