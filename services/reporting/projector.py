"""One batch of events → every reporting projection, inside the caller's transaction.

The same code serves the live consumer (schema `reporting`) and a rebuild (a fresh schema):
the transaction's `search_path` picks the tables, and the claim (positions + inbox) lives in
the same schema, so a projection and what it has applied always move together."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg

from contracts.events import (
    ActionEvaluatedEvent,
    ActionRaisedEvent,
    ActionTransitionedEvent,
    AlertRaisedEvent,
    ComplaintResolvedEvent,
    ComplaintScoredEvent,
    ComplaintUpdatedEvent,
    EvaluationScoredEvent,
    InteractionScoredEvent,
    SurveyScoredEvent,
)
from runtime.exactly_once import Claimable, claim
from services.reporting import store, store_cx, store_ops
from services.reporting.domain.projection import fact, reconcile
from services.reporting.domain.reading import InteractionScoredViewEvent

CONSUMER = "qualityloop-reporting"


def of(events: Sequence[Any], kind: type | tuple[type, ...]) -> list[Any]:
    return [e for e in events if isinstance(e, kind)]


async def project(
    conn: asyncpg.Connection, batch: Sequence[Claimable[Any]], schema: str = store.SCHEMA
) -> int:
    """Apply the not-yet-applied events of `batch`; returns how many were applied."""
    await conn.execute("SELECT set_config('search_path', $1, true)", schema)
    fresh = [c.item for c in await claim(conn, schema, CONSUMER, batch)]
    # The live path reads a lean view of scored interactions; both shapes project alike.
    interactions = of(fresh, (InteractionScoredViewEvent, InteractionScoredEvent))
    facts = [fact(e.id, e.time, e.data) for e in interactions]
    if facts:
        stored = await store.stored_facts(conn, [f.interaction_id for f in facts])
        winners, deltas = reconcile(facts, stored)
        await store.write_facts(conn, winners)
        await store.add_counters(conn, deltas)
    await store_ops.write_targets(conn, fresh)
    await store.write_evaluations(conn, of(fresh, EvaluationScoredEvent))
    await store_cx.write_surveys(conn, of(fresh, SurveyScoredEvent))
    await store_cx.write_complaints(
        conn,
        of(fresh, ComplaintScoredEvent),
        of(fresh, ComplaintUpdatedEvent),
        of(fresh, ComplaintResolvedEvent),
    )
    await store.write_actions(
        conn, of(fresh, ActionRaisedEvent), of(fresh, ActionTransitionedEvent)
    )
    await store_ops.write_evaluated(conn, of(fresh, ActionEvaluatedEvent))
    await store_ops.write_alerts(conn, of(fresh, AlertRaisedEvent))
    return len(fresh)
