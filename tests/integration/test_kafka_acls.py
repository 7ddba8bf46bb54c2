"""Trusted Kafka: on the secured broker (SASL/SCRAM + ACLs, started through deploy/local/
stack.sh) only a topic's owner can write it, and no principal without rights can forge a
score, an action or an alert; nobody gets in without a valid password."""

from __future__ import annotations

import json
import uuid

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import KafkaError, TopicAuthorizationFailedError

from contracts import topics as t
from runtime.kafka_security import client_options
from tests.hostile import good_event
from tests.secure_kafka import SecureKafka

pytestmark = pytest.mark.slow
INTERNAL = (t.SCORES, t.ACTIONS, t.ALERTS)
OWNER = {t.SCORES.name: "scoring", t.ACTIONS.name: "actions", t.ALERTS.name: "actions"}


async def produce(kafka: SecureKafka, principal: str, topic: str, value: bytes) -> int:
    """Send one record as `principal`; its offset (raises what the broker answers)."""
    producer = kafka.producer(principal)
    await producer.start()
    try:
        return (await producer.send_and_wait(topic, value, key=b"k")).offset
    finally:
        await producer.stop()


@pytest.mark.parametrize("topic", [x.name for x in INTERNAL])
@pytest.mark.parametrize("principal", ["source", "ingest", "scoring", "actions", "reporting"])
async def test_only_the_owner_may_write_an_internal_topic(
    secure_kafka: SecureKafka, principal: str, topic: str
) -> None:
    if OWNER[topic] == principal:
        assert await produce(secure_kafka, principal, topic, b"{}") >= 0
        return
    with pytest.raises(TopicAuthorizationFailedError):
        await produce(secure_kafka, principal, topic, b"{}")


async def test_sources_write_raw_topics_only(secure_kafka: SecureKafka) -> None:
    for raw in t.RAW:
        assert await produce(secure_kafka, "source", raw.name, b"{}") >= 0
    for canonical in (*t.CANONICAL, t.DEADLETTER):
        with pytest.raises(TopicAuthorizationFailedError):
            await produce(secure_kafka, "source", canonical.name, b"{}")


@pytest.mark.parametrize("topic", [x.name for x in INTERNAL])
async def test_a_forged_record_never_lands(secure_kafka: SecureKafka, topic: str) -> None:
    """A well-formed score, action or alert from a principal without rights is refused and
    the topic does not move (as seen by admin)."""
    doc, key, _ = good_event(topic, f"forged-{uuid.uuid4().hex[:6]}", 1)
    value = json.dumps(doc).encode()
    before = await secure_kafka.end_offsets(topic)
    for principal in ("source", "ingest", "reporting"):
        producer = secure_kafka.producer(principal)
        await producer.start()
        try:
            with pytest.raises(TopicAuthorizationFailedError):
                await producer.send_and_wait(
                    topic, value, key=key, headers=[("ce_type", doc["type"].encode())]
                )
        finally:
            await producer.stop()
    assert await secure_kafka.end_offsets(topic) == before


async def test_reading_needs_an_acl_too(secure_kafka: SecureKafka) -> None:
    """Sources may not read canonical (pseudonymised) events; reporting may read scores."""
    denied = AIOKafkaConsumer(
        t.INTERACTIONS.name, **client_options(secure_kafka.settings("source")), group_id=None
    )
    with pytest.raises(TopicAuthorizationFailedError):
        await denied.start()
        await denied.getmany(timeout_ms=5000)
    await denied.stop()
    allowed = AIOKafkaConsumer(
        **client_options(secure_kafka.settings("reporting")), enable_auto_commit=False
    )
    await allowed.start()
    try:
        parts = [TopicPartition(t.SCORES.name, p) for p in range(t.SCORES.partitions)]
        allowed.assign(parts)
        await allowed.seek_to_beginning(*parts)
        await allowed.getmany(timeout_ms=1000)  # raises if reading were refused
        assert set(await allowed.end_offsets(parts)) == set(parts)
    finally:
        await allowed.stop()


async def test_no_way_in_without_a_valid_password(secure_kafka: SecureKafka) -> None:
    wrong = secure_kafka.settings("scoring", password="not-the-password")
    producer = AIOKafkaProducer(**client_options(wrong), request_timeout_ms=5000)
    with pytest.raises(KafkaError):
        await producer.start()
    await producer.stop()
    anonymous = AIOKafkaProducer(bootstrap_servers=secure_kafka.bootstrap, request_timeout_ms=5000)
    with pytest.raises(KafkaError):
        await anonymous.start()
    await anonymous.stop()
