"""What the platform did with sent records: dead letters, reporting rows, consumer health."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from contracts import topics


@dataclass(frozen=True)
class Placed:
    topic: str
    partition: int
    offset: int


async def produce(
    bootstrap: str, records: Sequence[tuple[str, bytes, bytes | None, list[Any]]], flush_every: int
) -> list[Placed]:
    """Send (topic, value, key, headers) in order, flushing every `flush_every` records so
    consumers see varied batch shapes; returns where each record landed."""
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        acks="all",
        enable_idempotence=True,
        linger_ms=20,
        max_request_size=1_048_000,
    )
    await producer.start()
    futures = []
    try:
        for n, (topic, value, key, headers) in enumerate(records, 1):
            futures.append(await producer.send(topic, value, key=key, headers=headers))
            if n % flush_every == 0:
                await producer.flush()
        done = await asyncio.gather(*futures)
    finally:
        await producer.stop()
    return [Placed(m.topic, m.partition, m.offset) for m in done]


async def dead_letter_ends(bootstrap: str) -> dict[int, int]:
    """Where the dead-letter topic ends now, per partition: what `dead_letters` reads from."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        parts = [
            TopicPartition(topics.DEADLETTER.name, p) for p in range(topics.DEADLETTER.partitions)
        ]
        return {tp.partition: o for tp, o in (await consumer.end_offsets(parts)).items()}
    finally:
        await consumer.stop()


async def dead_letters(bootstrap: str, since: dict[int, int]) -> list[dict[str, str]]:
    """Every dead letter written after `since`, as its headers (+ `_size` of the value)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    out: list[dict[str, str]] = []
    try:
        parts = [TopicPartition(topics.DEADLETTER.name, p) for p in since]
        consumer.assign(parts)
        ends = await consumer.end_offsets(parts)
        for tp in parts:
            consumer.seek(tp, since[tp.partition])
        while [tp for tp in parts if await consumer.position(tp) < ends[tp]]:
            got = await consumer.getmany(timeout_ms=500)
            for recs in got.values():
                for r in recs:
                    h = {k: (v or b"").decode(errors="replace") for k, v in r.headers}
                    out.append({**h, "_size": str(len(r.value or b""))})
    finally:
        await consumer.stop()
    return out


def by_source(letters: Iterable[dict[str, str]]) -> dict[tuple[str, int, int, str], dict[str, str]]:
    return {
        (
            d.get("dlq_source_topic", ""),
            int(d.get("dlq_source_partition", -1)),
            int(d.get("dlq_source_offset", -1)),
            d.get("dlq_service", ""),
        ): d
        for d in letters
        if "dlq_source_topic" in d
    }


async def present(url: str, table: str, column: str, values: Sequence[str]) -> dict[str, int]:
    """How many reporting rows each value has in `table.column` (0 if absent)."""
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            f"SELECT {column} AS v, count(*) AS n FROM reporting.{table} "
            f"WHERE {column} = ANY($1::text[]) GROUP BY 1",
            list(values),
        )
    finally:
        await conn.close()
    found = {r["v"]: r["n"] for r in rows}
    return {v: found.get(v, 0) for v in values}


async def offered(url: str, queue: str) -> float:
    """Contacts counted in the 15-minute counters for `queue` (each exactly once)."""
    conn = await asyncpg.connect(url)
    try:
        value = await conn.fetchval(
            "SELECT coalesce(sum(offered), 0) FROM reporting.interval_counters WHERE queue = $1",
            queue,
        )
    finally:
        await conn.close()
    return float(value)


async def consumer_health(urls: Iterable[str], token: str) -> list[dict[str, Any]]:
    """Every service's consumer groups (an operator's token: consumer health is ops-only)."""
    out: list[dict[str, Any]] = []
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(timeout=5, headers=headers) as http:
        for url in urls:
            body = (await http.get(url + "/health/consumers")).json()
            out += [{**c, "service": url} for c in body["consumers"]]
    return out
