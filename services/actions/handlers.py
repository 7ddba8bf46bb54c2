"""Actions edges: scored events → observations → rule decisions → actions (exactly once)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import asyncpg
from aiokafka import ConsumerRecord
from faststream.kafka import KafkaBroker

from contracts.actions import ActionRaised, ScopeType
from contracts.events import (
    EvaluationScoredEvent,
    InteractionScoredEvent,
    SurveyScoredEvent,
    scored_adapter,
)
from runtime.consumer import decode_batch, isolate, parker
from runtime.exactly_once import Claimable, claim
from runtime.kafka import Outgoing, publish_all
from services.actions import alerting, store
from services.actions.domain.alerts import spike_action
from services.actions.domain.engine import Observation, immediate, observe, windowed
from services.actions.domain.patterns import evaluate_scope, evaluate_team
from services.actions.domain.rules import Fixed, Rule, RuleSet, Statistical
from services.actions.settings import ActionsSettings

SERVICE = "actions"
CONSUMER = "qualityloop-actions"
SOURCE = "/qualityloop/actions"


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
            fresh = await claim(conn, store.SCHEMA, CONSUMER, part)
            observations = [
                o
                for c in fresh
                if isinstance(
                    c.item, InteractionScoredEvent | EvaluationScoredEvent | SurveyScoredEvent
                )
                for o in observe(c.item)
            ]
            alerts = await alerting.observe_batch(conn, [c.item for c in fresh], settings)
            candidates = [
                spike_action(a, rules.version) for a in alerts if a.kind == "complaint_spike"
            ]
            if observations:
                await store.insert_observations(conn, observations)
            candidates += immediate(rules, observations)
            for rule in rules.rules:
                if rule.scope in (ScopeType.TEAM, ScopeType.QUEUE):
                    candidates += await _scope_rule(conn, rules, rule, observations)
                    continue
                if isinstance(rule.trigger, Statistical) or rule.attribution is not None:
                    candidates += await _team_rule(conn, rules, rule, observations)
                    continue
                if not isinstance(rule.trigger, Fixed):
                    continue
                agents = sorted({o.agent_id for o in observations if o.metric == rule.metric})
                if not agents:
                    continue
                for window in (
                    await store.windows(conn, rule.metric, agents, _depth(rule))
                ).values():
                    decision = windowed(rule, rules, window)
                    if decision is not None:
                        candidates.append(decision)
            cooldowns = {r.id: r.cooldown_days for r in rules.rules}
            return len(await store.raise_actions(conn, candidates, SOURCE, cooldowns))

    raised = sum(await isolate(claimables, apply, parker(records, broker, SERVICE, apply)))
    await flush_outbox(pool, broker)
    return raised


async def _team_rule(
    conn: asyncpg.Connection, rules: RuleSet, rule: Rule, observations: list[Observation]
) -> list[ActionRaised]:
    """Judge every team that received new observations for this rule, as a whole."""
    teams = sorted({o.team_id for o in observations if o.metric == rule.metric and o.team_id})
    if not teams:
        return []
    depth = _depth(rule)
    histories = await store.team_histories(conn, rule.metric, teams, depth)
    return [
        a for team, agents in histories.items() for a in evaluate_team(rule, rules, team, agents)
    ]


def _depth(rule: Rule) -> int:
    depth = 2000 if rule.window_hours is not None else rule.window_last
    if rule.attribution is not None:
        depth += rule.window_last  # peers' previous window: is the team itself changing?
    if isinstance(rule.trigger, Statistical) and rule.trigger.method == "p_chart":
        depth += rule.trigger.baseline_last
    return depth


async def _scope_rule(
    conn: asyncpg.Connection, rules: RuleSet, rule: Rule, observations: list[Observation]
) -> list[ActionRaised]:
    """Team- or queue-scoped rules: the scope's own window, one improvement action."""
    column = "team_id" if rule.scope is ScopeType.TEAM else "queue"
    ids = sorted(
        {getattr(o, column) for o in observations if o.metric == rule.metric and getattr(o, column)}
    )
    histories = await store.scope_histories(conn, rule.metric, column, ids, _depth(rule))
    return [
        a for sid, h in histories.items() if (a := evaluate_scope(rule, rules, sid, h)) is not None
    ]


async def flush_outbox(pool: asyncpg.Pool, broker: KafkaBroker) -> int:
    """Publish committed-but-unpublished events; safe to run from several processes."""
    total = 0
    while True:
        async with pool.acquire() as conn, conn.transaction():
            rows = await conn.fetch(
                "SELECT seq, topic, key, value, headers FROM actions.outbox "
                "WHERE published_at IS NULL ORDER BY seq LIMIT 500 FOR UPDATE SKIP LOCKED"
            )
            if not rows:
                return total
            await publish_all(
                broker,
                [
                    Outgoing(
                        r["topic"], bytes(r["key"]), bytes(r["value"]), json.loads(r["headers"])
                    )
                    for r in rows
                ],
            )
            await store.mark_published(conn, [r["seq"] for r in rows])
            total += len(rows)
