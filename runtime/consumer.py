"""Shared consumer plumbing: decode a batch once, dead-letter what cannot be decoded,
retry infrastructure failures with backoff."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

import asyncpg
from aiokafka import ConsumerRecord
from pydantic import TypeAdapter, ValidationError
from tenacity import (
    AsyncRetrying,
    before_sleep_log,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from contracts.errors import describe, summary
from runtime.exactly_once import Claimable
from runtime.kafka import Outgoing, dead_letter

T = TypeVar("T")
log = logging.getLogger("qualityloop.consumer")

# Failures worth retrying in place: the database or the network, not the data.
TRANSIENT = (
    OSError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.DeadlockDetectedError,
    asyncpg.SerializationError,
    TimeoutError,
)


def decode_batch(
    records: Sequence[ConsumerRecord[Any, Any]], adapter: TypeAdapter[T], service: str
) -> tuple[list[Claimable[T | None]], list[Outgoing]]:
    """Parse every record once. Undecodable records become dead letters and claimables with
    no event id (they still advance the stored position)."""
    claimables: list[Claimable[T | None]] = []
    dead: list[Outgoing] = []
    for r in records:
        try:
            item = adapter.validate_json(r.value or b"")
        except ValidationError as err:
            dead.append(dead_letter(r, service, summary(err), list(describe(err))))
            claimables.append(Claimable(r.topic, r.partition, r.offset, None, None))
            continue
        claimables.append(
            Claimable(r.topic, r.partition, r.offset, getattr(item, "id", None), item)
        )
    return claimables, dead


async def with_retries(work: Callable[[], Awaitable[T]], attempts: int = 6) -> T:
    """Run `work` again on transient failures (exponential backoff with jitter), then give up
    and let the subscriber's NACK_ON_ERROR seek back so the batch is redelivered."""
    async for attempt in AsyncRetrying(
        stop=stop_after_attempt(attempts),
        wait=wait_exponential_jitter(multiplier=0.2, max=5.0),
        retry=retry_if_exception_type(TRANSIENT),
        before_sleep=before_sleep_log(log, logging.WARNING),
        reraise=True,
    ):
        with attempt:
            return await work()
    raise AssertionError("unreachable")
