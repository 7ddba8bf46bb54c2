"""Consumer plumbing no record can stall.

- `decode_batch`: every record is decoded by our own code from its bytes (size, JSON, NUL,
  contract); whatever cannot be decoded becomes a dead letter on its own.
- `isolate`: a batch is applied in one go; a *deterministic* failure (constraint, encoding,
  validation, a bug) splits it in halves until the offending record is alone, which is then
  dead-lettered with the error while the rest applies. Only transient failures (network,
  database unavailable) are retried in place with backoff (`with_retries`).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

import asyncpg
from aiokafka import ConsumerRecord
from faststream.kafka import KafkaBroker
from pydantic import TypeAdapter, ValidationError
from pydantic_core import from_json
from tenacity import (
    AsyncRetrying,
    before_sleep_log,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from contracts.errors import FieldError, describe, summary
from contracts.limits import MAX_EVENT_BYTES, might_hold_nul, size_error, text_errors
from runtime.exactly_once import Claimable
from runtime.kafka import Outgoing, dead_letter, publish_all

T = TypeVar("T")
X = TypeVar("X")
R = TypeVar("R")
log = logging.getLogger("qualityloop.consumer")

# Failures worth retrying in place: the database or the network, not the data.
TRANSIENT = (
    OSError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.DeadlockDetectedError,
    asyncpg.SerializationError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    TimeoutError,
)


class Refused(Exception):
    """A record that can never be applied, with the fields and reasons why."""

    def __init__(self, reason: str, errors: list[FieldError]) -> None:
        super().__init__(reason)
        self.reason, self.errors = reason, errors


def decode(value: bytes | None, adapter: TypeAdapter[T], limit: int = MAX_EVENT_BYTES) -> T:
    """Bytes → contract object, or `Refused`. Never raises anything else."""
    raw = value or b""
    too_big = size_error(len(raw), limit)
    if too_big:
        raise Refused(too_big["reason"], [too_big])
    try:
        item = adapter.validate_json(raw)
    except ValidationError as err:
        raise Refused(summary(err), list(describe(err))) from err
    except Exception as err:  # the parser itself failed: the record is the problem
        reason = f"undecodable: {type(err).__name__}: {err}"[:500]
        raise Refused(reason, [{"field": "(body)", "reason": reason}]) from err
    if might_hold_nul(raw):  # rare: confirm on the parsed JSON, naming the field
        errors = text_errors(from_json(raw))
        if errors:
            raise Refused("; ".join(f"{e['field']}: {e['reason']}" for e in errors[:5]), errors)
    return item


def decode_batch(
    records: Sequence[ConsumerRecord[Any, Any]], adapter: TypeAdapter[T], service: str
) -> tuple[list[Claimable[T | None]], list[Outgoing]]:
    """Parse every record once. Undecodable records become dead letters and claimables with
    no event id (they still advance the stored position)."""
    claimables: list[Claimable[T | None]] = []
    dead: list[Outgoing] = []
    for r in records:
        try:
            item = decode(r.value, adapter)
        except Refused as err:
            dead.append(dead_letter(r, service, err.reason, err.errors))
            claimables.append(Claimable(r.topic, r.partition, r.offset, None, None))
            continue
        claimables.append(
            Claimable(r.topic, r.partition, r.offset, getattr(item, "id", None), item)
        )
    return claimables, dead


def neutral(c: Claimable[Any]) -> Claimable[None]:
    """The same position with nothing to apply: a dead-lettered record still moves it."""
    return Claimable(c.topic, c.partition, c.offset, None, None)


def failure(err: BaseException) -> tuple[str, list[FieldError]]:
    """A dead letter's reason for an error raised while applying a record."""
    reason = f"could not be applied: {type(err).__name__}: {err}"[:1000]
    return reason, [{"field": "(record)", "reason": reason}]


async def isolate(
    items: Sequence[X],
    apply: Callable[[Sequence[X]], Awaitable[R]],
    on_poison: Callable[[X, Exception], Awaitable[None]],
) -> list[R]:
    """Apply `items` (in order); on a deterministic error, bisect until the offending items
    are alone and hand each to `on_poison` before anything after it applies (so its dead
    letter is durable before a later record's position is stored). Transient errors that
    outlast the retries propagate: the batch is redelivered."""
    if not items:
        return []
    try:
        return [await with_retries(lambda: apply(items))]
    except TRANSIENT:
        raise
    except Exception as err:
        if len(items) == 1:
            log.warning("record isolated: %s: %s", type(err).__name__, str(err)[:300])
            await on_poison(items[0], err)
            return []
    mid = len(items) // 2
    return [
        *await isolate(items[:mid], apply, on_poison),
        *await isolate(items[mid:], apply, on_poison),
    ]


def parker(
    records: Sequence[ConsumerRecord[Any, Any]],
    broker: KafkaBroker,
    service: str,
    apply: Callable[[Sequence[Claimable[Any]]], Awaitable[object]],
) -> Callable[[Claimable[Any], Exception], Awaitable[None]]:
    """`isolate`'s `on_poison` for claim-based consumers: the record's dead letter is made
    durable first, then its position is stored with nothing applied."""
    by_offset = {(r.topic, r.partition, r.offset): r for r in records}

    async def park(c: Claimable[Any], err: Exception) -> None:
        reason, errors = failure(err)
        record = by_offset[(c.topic, c.partition, c.offset)]
        await publish_all(broker, [dead_letter(record, service, reason, errors)], service)
        await apply([neutral(c)])

    return park


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
