"""Reading what services published: a topic's end offsets, then the records after them that
carry a marker (in the value or a header), for tests that check a service's outputs."""

from __future__ import annotations

import asyncio
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition


async def end_offsets(bootstrap: str, topic: str) -> dict[TopicPartition, int]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await consumer.start()
    try:
        parts = [TopicPartition(topic, p) for p in await partitions(consumer, topic)]
        return await consumer.end_offsets(parts)
    finally:
        await consumer.stop()


async def partitions(consumer: AIOKafkaConsumer, topic: str) -> set[int]:
    for _ in range(20):  # metadata for a topic arrives with the first refresh
        found = consumer.partitions_for_topic(topic)
        if found:
            return set(found)
        await consumer._client.force_metadata_update()
    raise AssertionError(f"no partitions for {topic}")


async def read_from(
    bootstrap: str, start: dict[TopicPartition, int], want: int, match: str, wait_s: float = 30
) -> list[Any]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    consumer.assign(list(start))
    for tp, offset in start.items():
        consumer.seek(tp, offset)
    found: list[Any] = []
    try:
        deadline = asyncio.get_running_loop().time() + wait_s
        while len(found) < want and asyncio.get_running_loop().time() < deadline:
            batches = await consumer.getmany(timeout_ms=500)
            for recs in batches.values():
                found += [
                    r
                    for r in recs
                    if match.encode() in (r.value or b"")
                    or any(match.encode() in v for _, v in r.headers)
                ]
    finally:
        await consumer.stop()
    return found
