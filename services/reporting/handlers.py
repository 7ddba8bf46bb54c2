"""Reporting edges: scored and action events → projections, exactly once per event."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg
from aiokafka import ConsumerRecord
from faststream.kafka import KafkaBroker

from contracts.events import (
    ActionRaisedEvent,
    ActionTransitionedEvent,
    ComplaintResolvedEvent,
    ComplaintScoredEvent,
    ComplaintUpdatedEvent,
    EvaluationScoredEvent,
    InteractionScoredEvent,
    SurveyScoredEvent,
    any_adapter,
)
from runtime.consumer import decode_batch, with_retries
from runtime.exactly_once import claim
from runtime.kafka import publish_all
from services.reporting import store, store_cx
from services.reporting.domain.projection import fact, reconcile

SERVICE = "reporting"
CONSUMER = "qualityloop-reporting"


async def handle_batch(
    records: Sequence[ConsumerRecord[Any, Any]], pool: asyncpg.Pool, broker: KafkaBroker
) -> int:
    """Project one batch; returns how many events were applied (0 for a redelivery)."""
    claimables, dead = decode_batch(records, any_adapter, SERVICE)
    if dead:
        await publish_all(broker, dead)

    async def apply() -> int:
        async with pool.acquire() as conn, conn.transaction():
            fresh = [c.item for c in await claim(conn, store.SCHEMA, CONSUMER, claimables)]
            facts = [
                fact(e.id, e.time, e.data) for e in fresh if isinstance(e, InteractionScoredEvent)
            ]
            if facts:
                stored = await store.stored_facts(conn, [f.interaction_id for f in facts])
                winners, deltas = reconcile(facts, stored)
                await store.write_facts(conn, winners)
                await store.add_counters(conn, deltas)
            await store.write_evaluations(
                conn, [e for e in fresh if isinstance(e, EvaluationScoredEvent)]
            )
            await store_cx.write_surveys(
                conn, [e for e in fresh if isinstance(e, SurveyScoredEvent)]
            )
            await store_cx.write_complaints(
                conn,
                [e for e in fresh if isinstance(e, ComplaintScoredEvent)],
                [e for e in fresh if isinstance(e, ComplaintUpdatedEvent)],
                [e for e in fresh if isinstance(e, ComplaintResolvedEvent)],
            )
            await store.write_actions(
                conn,
                [e for e in fresh if isinstance(e, ActionRaisedEvent)],
                [e for e in fresh if isinstance(e, ActionTransitionedEvent)],
            )
            return len(fresh)

    return await with_retries(apply)
