"""Scored events at the edge. Each record is decoded and claimed exactly once; the fresh ones
go through `apply_events`: record the observations, load the histories the rules need, decide,
save the actions (with their events, in the outbox). The outbox is published after commit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg
from aiokafka import ConsumerRecord
from faststream.kafka import KafkaBroker

from contracts.events import scored_adapter
from runtime.consumer import decode_batch, isolate, parker
from runtime.exactly_once import Claimable, claim
from runtime.kafka import publish_all
from services.actions import events
from services.actions.alerting import handlers as alerting
from services.actions.domain.engine import Decision, Histories, Need, decide, needs
from services.actions.domain.observation import Observation, observe_all
from services.actions.domain.rules import RuleSet
from services.actions.names import CONSUMER, SCHEMA, SERVICE
from services.actions.settings import ActionsSettings
from services.actions.store import Store


async def handle_scores(
    records: Sequence[ConsumerRecord[Any, Any]],
    pool: asyncpg.Pool,
    broker: KafkaBroker,
    rules: RuleSet,
    settings: ActionsSettings,
) -> int:
    """Apply one batch; returns the number of actions raised."""
    claimables, dead = decode_batch(records, scored_adapter, SERVICE)
    if dead:  # dead letters first: the batch is only committed once they are durable
        await publish_all(broker, dead, SERVICE)

    async def apply(part: Sequence[Claimable[Any]]) -> int:
        async with pool.acquire() as conn, conn.transaction():
            fresh = await claim(conn, SCHEMA, CONSUMER, part)
            return await apply_events(Store.on(conn), [c.item for c in fresh], rules, settings)

    raised = sum(await isolate(claimables, apply, parker(records, broker, SERVICE, apply)))
    await flush_outbox(pool, broker)
    return raised


async def apply_events(
    store: Store, batch: Sequence[object], rules: RuleSet, settings: ActionsSettings
) -> int:
    """One batch's fresh events, inside the caller's transaction; returns actions raised."""
    opened = await alerting.observe(store, batch, settings)
    observations = observe_all(batch)
    if observations:  # recorded first: the histories loaded next include them
        await store.observations.record(observations)
    histories = await load(store, needs(rules, observations))
    return await save(store, decide(rules, observations, histories, opened))


async def load(store: Store, wanted: Sequence[Need]) -> Histories:
    by_scope: dict[Need, dict[str, list[Observation]]] = {}
    by_team: dict[Need, dict[str, dict[str, list[Observation]]]] = {}
    for need in wanted:
        if need.per_agent:
            by_team[need] = await store.observations.team_histories(need)
        else:
            by_scope[need] = await store.observations.histories(need)
    return Histories(by_scope, by_team)


async def save(store: Store, decisions: Sequence[Decision]) -> int:
    """Raise each decided action the store accepts, with its event; returns how many."""
    raised = 0
    for d in decisions:  # few per batch: actions are rare compared with events
        if await store.actions.insert(d.action, d.cooldown_days):
            await store.outbox.append(events.raised(d.action), d.action.action_id)
            raised += 1
    return raised


async def flush_outbox(pool: asyncpg.Pool, broker: KafkaBroker) -> int:
    """Publish committed-but-unpublished events; safe to run from several processes."""
    total = 0
    while True:
        async with pool.acquire() as conn, conn.transaction():
            outbox = Store.on(conn).outbox
            pending = await outbox.unpublished()
            if not pending:
                return total
            await publish_all(broker, [record for _, record in pending])
            await outbox.mark_published([seq for seq, _ in pending])
            total += len(pending)
