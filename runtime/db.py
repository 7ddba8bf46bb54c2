"""Postgres wiring: an asyncpg pool and Alembic migrations per service schema."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
from alembic import command
from alembic.config import Config


async def create_pool(url: str, *, min_size: int = 1, max_size: int = 5) -> asyncpg.Pool:
    pool = await asyncpg.create_pool(url, min_size=min_size, max_size=max_size)
    assert pool is not None
    return pool


def sqlalchemy_url(url: str) -> str:
    """Alembic runs on SQLAlchemy over asyncpg: the same DSN with the driver named."""
    scheme, rest = url.split("://", 1)
    return f"postgresql+asyncpg://{rest}" if scheme in {"postgres", "postgresql"} else url


def upgrade_sync(migrations: Path, url: str, schema: str) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations))
    cfg.set_main_option("sqlalchemy.url", sqlalchemy_url(url))
    cfg.attributes["version_table_schema"] = schema
    command.upgrade(cfg, "head")


async def migrate(migrations: Path, url: str, schema: str) -> None:
    """Bring `schema` to the newest revision (Alembic's env runs its own event loop: a thread)."""
    await asyncio.to_thread(upgrade_sync, migrations, url, schema)
