"""Reporting's consumer edge: scored, complaint, action and alert events → the write side's
projections (`write/`), exactly once per event."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg
from aiokafka import ConsumerRecord
from faststream.kafka import KafkaBroker

from runtime.consumer import decode_batch, isolate, parker
from runtime.exactly_once import Claimable
from runtime.kafka import publish_all
from services.reporting.domain.reading import reporting_adapter
from services.reporting.names import SERVICE
from services.reporting.write.projector import project


async def handle_batch(
    records: Sequence[ConsumerRecord[Any, Any]], pool: asyncpg.Pool, broker: KafkaBroker
) -> int:
    """Project one batch; returns how many events were applied (0 for a redelivery)."""
    claimables, dead = decode_batch(records, reporting_adapter, SERVICE)
    if dead:  # durable before any later position is stored
        await publish_all(broker, dead, SERVICE)

    async def apply(part: Sequence[Claimable[Any]]) -> int:
        async with pool.acquire() as conn, conn.transaction():
            return await project(conn, part)

    # A record the projection cannot take is dead-lettered alone; the rest applies.
    return sum(await isolate(claimables, apply, parker(records, broker, SERVICE, apply)))
