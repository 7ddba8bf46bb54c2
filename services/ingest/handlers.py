"""Ingest's raw-topic intake: validate → canonicalise → claim the id → publish; failures →
dead-letter topic."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import asyncpg
from aiokafka import ConsumerRecord
from faststream.kafka import KafkaBroker
from pydantic import ValidationError

from contracts.errors import describe, summary
from contracts.inbound import InboundEvent, inbound_adapter
from runtime.consumer import with_retries
from runtime.health import Progress
from runtime.kafka import Outgoing, dead_letter
from runtime.service import batch_consumer
from services.ingest.domain import cloudevents as ce
from services.ingest.domain.canonicalise import canonicalise
from services.ingest.domain.jsonbody import Refused, check_size
from services.ingest.domain.jsonbody import summary as refused_summary
from services.ingest.domain.ownership import CONFLICT, conflict, first_claims, owner
from services.ingest.domain.pseudonymise import Pseudonymiser
from services.ingest.domain.rawsources import RawTopics, SourceRefused
from services.ingest.names import CONSUMER, SERVICE
from services.ingest.publishing import publish_durably, to_record
from services.ingest.settings import IngestSettings
from services.ingest.store import claim_ids

Claim = tuple[str, str]  # (event id, source)


def decide_raw(
    record: ConsumerRecord[Any, Any], pseudonymiser: Pseudonymiser, raw: RawTopics
) -> tuple[Outgoing, Claim | None]:
    """One raw record → (its canonical record, the id and source to claim), or (its dead letter
    naming what was wrong, None).

    CloudEvents Kafka binding, structured or binary content mode; refused for the same reasons
    as at HTTP (text, nesting, size, contract), each dead-lettered alone with field and reason.
    The source is the one the topic vouches for (domain/rawsources.py).
    """
    try:
        envelope = ce.from_kafka(record.headers or (), record.value)
        inbound: InboundEvent[Any] = inbound_adapter.validate_python(envelope.event)
        source = raw.source(record.topic, inbound.source)
        # canonicalise re-validates: e.g. redaction may push a text over its limit
        out = to_record(canonicalise(inbound, source, pseudonymiser), envelope.traceparent)
        check_size(out.value)
    except SourceRefused as err:
        return dead_letter(record, SERVICE, str(err), list(err.errors)), None
    except Refused as err:
        return dead_letter(record, SERVICE, refused_summary(err.errors), list(err.errors)), None
    except ValidationError as err:
        return dead_letter(record, SERVICE, summary(err), list(describe(err))), None
    return out, (inbound.id, source)


def process_raw(
    record: ConsumerRecord[Any, Any], pseudonymiser: Pseudonymiser, raw: RawTopics | None = None
) -> Outgoing:
    """`decide_raw` without the claim: the canonical record or the dead letter."""
    return decide_raw(record, pseudonymiser, raw or RawTopics())[0]


def settle(
    records: Sequence[ConsumerRecord[Any, Any]],
    decided: Sequence[tuple[Outgoing, Claim | None]],
    claims: dict[str, str],
    foreign: dict[str, str],
) -> list[Outgoing]:
    """The batch's outputs once ids are claimed: a record whose id another source owns (before
    this batch, or earlier in it) becomes a `source_conflict` dead letter."""
    out: list[Outgoing] = []
    for record, (canonical, claim) in zip(records, decided, strict=True):
        if claim is not None and owner(claim[0], claims, foreign) != claim[1]:
            error = conflict(claim[0])
            canonical = dead_letter(record, SERVICE, f"{CONFLICT}: {error['reason']}", [error])
        out.append(canonical)
    return out


def register(
    broker: KafkaBroker,
    settings: IngestSettings,
    pseudonymiser: Pseudonymiser,
    pool: Callable[[], asyncpg.Pool],
    progress: list[Progress] | None = None,
) -> None:
    """Subscribe the raw topics `settings.raw_topics` names (none: HTTP intake only).
    `pool` gives the database pool once the service started (ids are claimed there)."""
    raw = settings.raw_topics
    names = raw.names()
    if not names:
        return

    async def on_raw(records: tuple[ConsumerRecord[Any, Any], ...]) -> None:
        decided = [decide_raw(r, pseudonymiser, raw) for r in records]
        claims = first_claims(c for _, c in decided if c is not None)
        # Claimed before publishing: a conflicting fact is never published. If the publish
        # fails, the batch is redelivered and the same claims find their own ids.
        foreign = await with_retries(lambda: claim_ids(pool(), claims))
        out = settle(records, decided, claims, foreign)
        # Committed only once every output is acknowledged; outputs keep the source event id,
        # so a retried batch dedupes downstream.
        await publish_durably(broker, out, settings.publish_timeout_s * 3)  # refused → DLQ

    batch_consumer(
        broker,
        settings,
        names,
        CONSUMER,
        "Source systems' raw events: validated, canonicalised or dead-lettered.",
        on_raw,
        progress,
    )
