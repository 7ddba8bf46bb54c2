"""The action lifecycle at the edge: transitions (HTTP), overdue escalation and before/after
impact evaluation (a periodic sweep). Every change and its event commit together (outbox)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from contracts.actions import ActionEvaluated, ActionStatus, ActionTransitioned
from services.actions import events
from services.actions.domain.impact import impact_of
from services.actions.domain.lifecycle import check
from services.actions.domain.rules import RuleSet
from services.actions.store import Store


class UnknownAction(LookupError):
    pass


async def transition(
    pool: asyncpg.Pool, action_id: str, target: ActionStatus, by: str, reason: str | None
) -> dict[str, Any]:
    """Move an action along its lifecycle (raises TransitionError / UnknownAction)."""
    now = datetime.now(UTC)
    async with pool.acquire() as conn, conn.transaction():
        store = Store.on(conn)
        current = await store.actions.lock_status(action_id)
        if current is None:
            raise UnknownAction(action_id)
        check(current, target, reason)
        updated = await store.actions.set_status(action_id, target, now)
        await _transitioned(
            store,
            ActionTransitioned(
                action_id=action_id, status=target, previous=current, at=now, by=by, reason=reason
            ),
        )
    return updated


async def _transitioned(store: Store, t: ActionTransitioned) -> None:
    await store.outbox.append(events.transitioned(t), t.action_id)


async def escalate_overdue(pool: asyncpg.Pool, now: datetime | None = None) -> int:
    """Open actions past their due date are escalated once (to operations)."""
    now = now or datetime.now(UTC)
    async with pool.acquire() as conn, conn.transaction():
        store = Store.on(conn)
        overdue = await store.actions.escalate_overdue(now)
        for a in overdue:
            await _transitioned(
                store,
                ActionTransitioned(
                    action_id=a.action_id,
                    status=a.status,
                    at=now,
                    by="system",
                    escalated=True,
                    reason=f"overdue since {a.due_at.isoformat()}: escalated to operations",
                ),
            )
    return len(overdue)


async def evaluate_due(
    pool: asyncpg.Pool, rules: RuleSet, window: timedelta, now: datetime | None = None
) -> int:
    """Evaluate every done action whose after-window has passed: before vs after, per scope."""
    by_id = {r.id: r for r in rules.rules}
    now = now or datetime.now(UTC)
    async with pool.acquire() as conn, conn.transaction():
        store = Store.on(conn)
        due = await store.actions.done_before(now - window)
        for a in due:
            rule = by_id.get(a.rule_id)
            column = "agent_id" if a.scope_type == "agent" else "team_id"
            observations = await store.observations.between(
                a.metric, column, a.scope_id, a.done_at - window, a.done_at + window
            )
            impact = impact_of(rule.failure if rule else None, observations, a.done_at)
            result = ActionEvaluated(
                action_id=a.action_id,
                metric=a.metric,
                test=impact.test,
                before=impact.before,
                after=impact.after,
                n_before=impact.n_before,
                n_after=impact.n_after,
                effect_size=impact.effect_size,
                p_value=impact.p_value,
                verdict=impact.verdict,
                evaluated_at=now,
            )
            await store.actions.set_evaluated(result)
            await store.outbox.append(events.evaluated(result), a.action_id)
            await _transitioned(
                store,
                ActionTransitioned(
                    action_id=a.action_id,
                    status=ActionStatus.EVALUATED,
                    previous=ActionStatus.DONE,
                    at=now,
                    by="system",
                    reason=f"impact: {impact.verdict.value}",
                ),
            )
    return len(due)
