"""Kafka helpers for tests that start services on the shared test broker."""

from __future__ import annotations

from collections.abc import Sequence

from aiokafka import AIOKafkaConsumer, TopicPartition

from contracts import topics
from runtime.kafka_security import client_options

GROUPS = {
    "qualityloop-ingest-raw": [t.name for t in topics.RAW],
    "qualityloop-scoring": [t.name for t in topics.CANONICAL],
    "qualityloop-actions": [topics.SCORES.name],
    "qualityloop-reporting": [
        topics.SCORES.name,
        topics.ACTIONS.name,
        topics.COMPLAINTS.name,
        topics.ALERTS.name,
    ],
}


async def skip_backlog(bootstrap: str, group: str, topic_names: Sequence[str]) -> None:
    """Commit `group`'s offsets at the current end of its topics, so a service started for a
    test consumes only what the test sends, not every earlier test's events."""
    consumer = AIOKafkaConsumer(
        **client_options(bootstrap), group_id=group, enable_auto_commit=False
    )
    await consumer.start()
    try:
        parts = []
        for name in topic_names:
            for _ in range(20):
                found = consumer.partitions_for_topic(name)
                if found:
                    break
                await consumer._client.force_metadata_update()
            parts += [TopicPartition(name, p) for p in sorted(found or ())]
        consumer.assign(parts)  # a commit needs an assignment (no group membership here)
        ends = await consumer.end_offsets(parts)
        await consumer.commit({tp: offset for tp, offset in ends.items()})
    finally:
        await consumer.stop()


async def skip_all_backlogs(bootstrap: str) -> None:
    for group, names in GROUPS.items():
        await skip_backlog(bootstrap, group, names)


async def rewind(bootstrap: str, group: str, topic_names: Sequence[str]) -> None:
    """Commit `group`'s offsets at the beginning of its topics: the next member replays all."""
    consumer = AIOKafkaConsumer(
        **client_options(bootstrap), group_id=group, enable_auto_commit=False
    )
    await consumer.start()
    try:
        await consumer._client.force_metadata_update()
        parts = [
            TopicPartition(name, p)
            for name in topic_names
            for p in sorted(consumer.partitions_for_topic(name) or ())
        ]
        consumer.assign(parts)
        firsts = await consumer.beginning_offsets(parts)
        await consumer.commit({tp: offset for tp, offset in firsts.items()})
    finally:
        await consumer.stop()


async def end_offsets(bootstrap: str, topic_names: Sequence[str]) -> dict[tuple[str, int], int]:
    consumer = AIOKafkaConsumer(**client_options(bootstrap), enable_auto_commit=False)
    await consumer.start()
    try:
        await consumer._client.force_metadata_update()
        parts = [
            TopicPartition(name, p)
            for name in topic_names
            for p in sorted(consumer.partitions_for_topic(name) or ())
        ]
        return {
            (tp.topic, tp.partition): o for tp, o in (await consumer.end_offsets(parts)).items()
        }
    finally:
        await consumer.stop()
