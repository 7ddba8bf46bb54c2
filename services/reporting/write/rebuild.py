"""Rebuild every projection by replaying Kafka from the beginning into fresh tables, then swap.

1. Fresh tables: `reporting_rebuild.<t>` created `LIKE reporting.<t>` for every projection table
   (operational tables — tokens, access log — are kept as they are; SQL in `store/swap.py`).
2. Replay: a group-less consumer reads the projected topics from offset 0 and applies batches
   with the live projection code (`projector.project`) against the fresh schema.
3. Catch up, then swap: lock the live consumer's positions (live batches wait; readers do
   not), replay up to where live stands, and replace the live rows with the rebuilt ones in the
   same transaction — positions and inbox included, so the live consumer carries on from
   exactly where the rebuilt tables stop. Kafka's retention bounds what can be rebuilt: the
   command refuses when a topic no longer starts at offset 0, unless told to accept that.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncpg
from aiokafka import AIOKafkaConsumer, TopicPartition

from runtime.consumer import decode_batch, isolate, neutral
from runtime.exactly_once import Claimable
from runtime.kafka_security import client_options
from services.reporting.domain.reading import reporting_adapter
from services.reporting.names import REBUILD_SCHEMA, SERVICE, TOPICS
from services.reporting.write.projector import project
from services.reporting.write.store.swap import (
    fresh_schema,
    hold_live,
    live_positions,
    projection_tables,
    swap,
)

CATCH_UP_GAP = 5_000  # records behind live below which the swap lock is taken


@dataclass
class Report:
    events: int = 0
    applied: int = 0
    undecodable: int = 0
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


class Replayer:
    """Reads the projected topics from the beginning and applies them to the fresh schema."""

    def __init__(self, consumer: AIOKafkaConsumer, pool: asyncpg.Pool, batch: int) -> None:
        self.consumer, self.pool, self.batch = consumer, pool, batch
        self.report = Report()

    async def start(self, allow_truncated: bool) -> list[TopicPartition]:
        # A group-less consumer has no subscription to load metadata for: ask the cluster.
        cluster = await self.consumer._client.fetch_all_metadata()
        parts = [
            TopicPartition(t, p)
            for t in TOPICS
            for p in sorted(cluster.partitions_for_topic(t) or ())
        ]
        if not parts:
            raise SystemExit(
                f"none of the topics {', '.join(TOPICS)} exists yet: nothing to replay"
            )
        self.consumer.assign(parts)
        first = await self.consumer.beginning_offsets(parts)
        lost = [f"{tp.topic}[{tp.partition}] starts at {o}" for tp, o in first.items() if o]
        if lost and not allow_truncated:
            raise SystemExit(
                "refusing to rebuild: Kafka no longer holds the full history ("
                + "; ".join(lost)
                + "); re-run with --allow-truncated to rebuild from what remains"
            )
        await self.consumer.seek_to_beginning(*parts)
        return parts

    async def behind(self, targets: dict[TopicPartition, int]) -> int:
        """Records still to read before every partition reaches its target."""
        total = 0
        for tp, o in targets.items():
            total += max(0, o - await self.consumer.position(tp))
        return total

    async def until(self, targets: dict[TopicPartition, int]) -> None:
        """Apply records until every partition's position reaches its target."""
        while await self.behind(targets) > 0:
            got = await self.consumer.getmany(timeout_ms=500, max_records=self.batch)
            records = [r for rs in got.values() for r in rs]
            if not records:
                continue
            claimables, dead = decode_batch(records, reporting_adapter, SERVICE)
            self.report.applied += sum(await isolate(claimables, self._apply, self._skip))
            self.report.events += len(records)
            self.report.undecodable += len(dead)

    async def _apply(self, part: Sequence[Claimable[Any]]) -> int:
        async with self.pool.acquire() as conn, conn.transaction():
            return await project(conn, part, REBUILD_SCHEMA)

    async def _skip(self, c: Claimable[Any], err: Exception) -> None:
        """The live consumer dead-lettered this record already; the rebuild skips it too."""
        await self._apply([neutral(c)])
        self.report.undecodable += 1


async def rebuild(
    pool: asyncpg.Pool,
    bootstrap: str,
    *,
    batch: int = 5_000,
    allow_truncated: bool = False,
    say: Callable[[str], None] = print,
) -> Report:
    started = time.perf_counter()
    async with pool.acquire() as conn:
        tables = await projection_tables(conn)
        await fresh_schema(conn, tables)
    consumer = AIOKafkaConsumer(
        **client_options(bootstrap),
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_partition_fetch_bytes=4 * 1024 * 1024,
    )
    await consumer.start()
    try:
        replay = Replayer(consumer, pool, batch)
        parts = await replay.start(allow_truncated)
        await replay.until(await consumer.end_offsets(parts))
        say(f"replayed {replay.report.events} events; catching up with the live consumer")
        while True:  # chase live without blocking it, then lock for the last stretch
            async with pool.acquire() as conn:
                live = await live_positions(conn, parts)
            if await replay.behind(live) <= CATCH_UP_GAP:
                break
            await replay.until(live)
        async with pool.acquire() as conn, conn.transaction():
            await hold_live(conn)
            await replay.until(await live_positions(conn, parts))
            replay.report.rows = await swap(conn, tables)
    finally:
        await consumer.stop()
    replay.report.seconds = time.perf_counter() - started
    return replay.report
