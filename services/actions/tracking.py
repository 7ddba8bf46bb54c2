"""The action lifecycle at the edge: transitions (HTTP), overdue escalation and before/after
impact evaluation (a periodic sweep). Every change and its event commit together (outbox)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from contracts.actions import ActionEvaluated, ActionStatus, ActionTransitioned
from contracts.envelope import derived_event_id
from contracts.events import ActionEvaluatedEvent, ActionTransitionedEvent
from services.actions import store
from services.actions.domain.impact import Impact, evaluate_rate, evaluate_scores
from services.actions.domain.lifecycle import CLOSED, check
from services.actions.domain.patterns import failed
from services.actions.domain.rules import RuleSet

SOURCE = "/qualityloop/actions"


class UnknownAction(LookupError):
    pass


async def transition(
    pool: asyncpg.Pool, action_id: str, target: ActionStatus, by: str, reason: str | None
) -> dict[str, Any]:
    """Move an action along its lifecycle (raises TransitionError / UnknownAction)."""
    now = datetime.now(UTC)
    async with pool.acquire() as conn, conn.transaction():
        row = await conn.fetchrow(
            "SELECT status FROM actions.actions WHERE action_id = $1 FOR UPDATE", action_id
        )
        if row is None:
            raise UnknownAction(action_id)
        current = ActionStatus(row["status"])
        check(current, target, reason)
        updated = await conn.fetchrow(
            """UPDATE actions.actions SET status = $2, updated_at = $3,
                   done_at = CASE WHEN $2 = 'done' THEN $3 ELSE done_at END,
                   closed_at = CASE WHEN $2 IN ('done', 'cancelled') THEN $3 ELSE closed_at END
               WHERE action_id = $1 RETURNING *""",
            action_id,
            target.value,
            now,
        )
        await _event(
            conn,
            ActionTransitioned(
                action_id=action_id, status=target, previous=current, at=now, by=by, reason=reason
            ),
        )
    return dict(updated)


async def _event(conn: asyncpg.Connection, t: ActionTransitioned) -> None:
    event = ActionTransitionedEvent(
        id=derived_event_id(
            "transition", t.action_id, t.status.value, t.at.isoformat(), str(t.escalated)
        ),
        source=SOURCE,
        time=t.at,
        subject=t.action_id,
        data=t,
    )
    await store.outbox(conn, event, t.action_id)


async def escalate_overdue(pool: asyncpg.Pool, now: datetime | None = None) -> int:
    """Open actions past their due date are escalated once (to operations)."""
    now = now or datetime.now(UTC)
    async with pool.acquire() as conn, conn.transaction():
        rows = await conn.fetch(
            """UPDATE actions.actions SET escalated_at = $1, updated_at = $1
               WHERE escalated_at IS NULL AND due_at < $1
                 AND status IN ('raised', 'acknowledged', 'in_progress')
               RETURNING action_id, status, due_at""",
            now,
        )
        for r in rows:
            await _event(
                conn,
                ActionTransitioned(
                    action_id=r["action_id"],
                    status=ActionStatus(r["status"]),
                    at=now,
                    by="system",
                    escalated=True,
                    reason=f"overdue since {r['due_at'].isoformat()}: escalated to operations",
                ),
            )
    return len(rows)


async def evaluate_due(
    pool: asyncpg.Pool, rules: RuleSet, window: timedelta, now: datetime | None = None
) -> int:
    """Evaluate every done action whose after-window has passed: before vs after, per scope."""
    by_id = {r.id: r for r in rules.rules}
    now = now or datetime.now(UTC)
    evaluated = 0
    async with pool.acquire() as conn, conn.transaction():
        due = await conn.fetch(
            "SELECT * FROM actions.actions WHERE status = 'done' AND done_at <= $1 "
            "FOR UPDATE SKIP LOCKED",
            now - window,
        )
        for a in due:
            rule = by_id.get(a["rule_id"])
            column = "agent_id" if a["scope_type"] == "agent" else "team_id"
            obs = await store.scope_observations(
                conn,
                a["metric"],
                column,
                a["scope_id"],
                a["done_at"] - window,
                a["done_at"] + window,
            )
            before = [o for o in obs if o.at < a["done_at"]]
            after = [o for o in obs if o.at >= a["done_at"]]
            if rule is not None and rule.failure is not None:
                impact = evaluate_rate(
                    [failed(o, rule.failure) for o in before],
                    [failed(o, rule.failure) for o in after],
                )
            else:
                impact = evaluate_scores([o.value for o in before], [o.value for o in after])
            await _evaluated(conn, a["action_id"], a["metric"], impact, now)
            evaluated += 1
    return evaluated


async def _evaluated(
    conn: asyncpg.Connection, action_id: str, metric: str, impact: Impact, now: datetime
) -> None:
    result = ActionEvaluated(
        action_id=action_id,
        metric=metric,
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
    await conn.execute(
        "UPDATE actions.actions SET status = 'evaluated', updated_at = $2, evaluation = $3::jsonb "
        "WHERE action_id = $1",
        action_id,
        now,
        result.model_dump_json(),
    )
    event = ActionEvaluatedEvent(
        id=derived_event_id("evaluated", action_id),
        source=SOURCE,
        time=now,
        subject=action_id,
        data=result,
    )
    await store.outbox(conn, event, action_id)
    await _event(
        conn,
        ActionTransitioned(
            action_id=action_id,
            status=ActionStatus.EVALUATED,
            previous=ActionStatus.DONE,
            at=now,
            by="system",
            reason=f"impact: {impact.verdict.value}",
        ),
    )


def public(row: dict[str, Any]) -> dict[str, Any]:
    """An action row as the API shows it."""
    out = {k: v for k, v in row.items() if k not in ("payload", "evaluation")}
    out["details"] = json.loads(row["payload"]) if row.get("payload") else None
    out["evaluation"] = json.loads(row["evaluation"]) if row.get("evaluation") else None
    out["open"] = ActionStatus(row["status"]) not in CLOSED
    return out


async def resolve_stale_alerts(pool: asyncpg.Pool, quiet: timedelta = timedelta(hours=24)) -> int:
    """Event-driven incidents (critical breaches, complaint spikes) close after a quiet day;
    interval incidents close when an interval is back on target."""
    status = await pool.execute(
        "UPDATE actions.alerts SET resolved_at = now() WHERE resolved_at IS NULL "
        "AND kind IN ('critical_breach', 'complaint_spike') "
        "AND last_seen_at < now() - $1::interval",
        quiet,
    )
    return int(status.split()[-1])
