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
    AutoQaGateChangedEvent,
    ComplaintResolvedEvent,
    ComplaintScoredEvent,
    ComplaintUpdatedEvent,
    EvaluationScoredEvent,
    InteractionScoredEvent,
    SurveyScoredEvent,
)
from runtime.exactly_once import Claimable, claim
from services.reporting.domain.projection import fact, reconcile
from services.reporting.domain.reading import InteractionScoredViewEvent
from services.reporting.domain.targets import latest_targets
from services.reporting.names import CONSUMER, SCHEMA
from services.reporting.write.store import (
    actions,
    alerts,
    complaints,
    evaluations,
    gates,
    interactions,
    surveys,
    targets,
)


def of(events: Sequence[Any], kind: type | tuple[type, ...]) -> list[Any]:
    return [e for e in events if isinstance(e, kind)]


async def project(
    conn: asyncpg.Connection, batch: Sequence[Claimable[Any]], schema: str = SCHEMA
) -> int:
    """Apply the not-yet-applied events of `batch`; returns how many were applied."""
    await conn.execute("SELECT set_config('search_path', $1, true)", schema)
    fresh = [c.item for c in await claim(conn, schema, CONSUMER, batch)]
    # The live path reads a lean view of scored interactions; both shapes project alike.
    scored = of(fresh, (InteractionScoredViewEvent, InteractionScoredEvent))
    facts = [fact(e.id, e.time, e.data) for e in scored]
    if facts:  # load the stored facts, decide what wins and by how much, save
        stored = await interactions.stored_facts(conn, [f.interaction_id for f in facts])
        winners, deltas = reconcile(facts, stored)
        await interactions.write_facts(conn, winners)
        await interactions.add_counters(conn, deltas)
    await targets.write(conn, latest_targets(fresh))
    await evaluations.write(conn, of(fresh, EvaluationScoredEvent))
    await surveys.write(conn, of(fresh, SurveyScoredEvent))
    await complaints.write(
        conn,
        of(fresh, ComplaintScoredEvent),
        of(fresh, ComplaintUpdatedEvent),
        of(fresh, ComplaintResolvedEvent),
    )
    await actions.write(
        conn,
        of(fresh, ActionRaisedEvent),
        of(fresh, ActionTransitionedEvent),
        of(fresh, ActionEvaluatedEvent),
    )
    await alerts.write(conn, of(fresh, AlertRaisedEvent))
    await gates.write(conn, of(fresh, AutoQaGateChangedEvent))
    return len(fresh)
