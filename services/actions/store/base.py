"""What every table family is built on: a connection or a pool."""

from __future__ import annotations

from typing import TypeAlias

import asyncpg

Db: TypeAlias = asyncpg.Connection | asyncpg.Pool


class Family:
    def __init__(self, db: Db) -> None:
        self.db = db
