"""`actions.actions`: raising (one open per rule and scope, cooldown after a close), the
lifecycle's updates, escalation, impact evaluation, and the API's reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from contracts.actions import ActionEvaluated, ActionRaised, ActionStatus
from services.actions.store.base import Family


@dataclass(frozen=True, slots=True)
class Overdue:
    action_id: str
    status: ActionStatus
    due_at: datetime


@dataclass(frozen=True, slots=True)
class Done:
    """A done action awaiting its before/after evaluation."""

    action_id: str
    rule_id: str
    metric: str
    scope_type: str
    scope_id: str
    done_at: datetime


class Actions(Family):
    async def insert(self, a: ActionRaised, cooldown_days: float) -> bool:
        """False when one is open for the rule and scope, one closed within the cooldown, or
        the same action exists already (a replay)."""
        row = await self.db.fetchrow(
            """INSERT INTO actions.actions (action_id, kind, rule_id, rule_version, trigger,
                   scope_type, scope_id, team_id, metric, observed, threshold, window_size,
                   summary, payload, due_at, raised_at)
               SELECT $1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14::jsonb,$15,$16
               WHERE NOT EXISTS (
                   SELECT 1 FROM actions.actions c
                   WHERE c.rule_id = $3 AND c.scope_type = $6 AND c.scope_id = $7
                     AND c.closed_at > now() - make_interval(secs => $17 * 86400))
               ON CONFLICT DO NOTHING RETURNING action_id""",
            a.action_id,
            a.kind.value,
            a.rule_id,
            a.rule_version,
            a.trigger.value,
            a.scope.type.value,
            a.scope.id,
            a.team_id,
            a.metric,
            a.observed,
            a.threshold,
            a.window_size,
            a.summary,
            a.model_dump_json(),
            a.due_at,
            a.raised_at,
            float(cooldown_days),
        )
        return row is not None

    async def lock_status(self, action_id: str) -> ActionStatus | None:
        """The action's status, its row locked until the transaction ends (None: unknown)."""
        row = await self.db.fetchrow(
            "SELECT status FROM actions.actions WHERE action_id = $1 FOR UPDATE", action_id
        )
        return None if row is None else ActionStatus(row["status"])

    async def set_status(
        self, action_id: str, status: ActionStatus, at: datetime
    ) -> dict[str, Any]:
        row = await self.db.fetchrow(
            """UPDATE actions.actions SET status = $2, updated_at = $3,
                   done_at = CASE WHEN $2 = 'done' THEN $3 ELSE done_at END,
                   closed_at = CASE WHEN $2 IN ('done', 'cancelled') THEN $3 ELSE closed_at END
               WHERE action_id = $1 RETURNING *""",
            action_id,
            status.value,
            at,
        )
        return dict(row)

    async def escalate_overdue(self, now: datetime) -> list[Overdue]:
        """Mark open actions past their due date escalated (once); returns them."""
        rows = await self.db.fetch(
            """UPDATE actions.actions SET escalated_at = $1, updated_at = $1
               WHERE escalated_at IS NULL AND due_at < $1
                 AND status IN ('raised', 'acknowledged', 'in_progress')
               RETURNING action_id, status, due_at""",
            now,
        )
        return [Overdue(r["action_id"], ActionStatus(r["status"]), r["due_at"]) for r in rows]

    async def done_before(self, cutoff: datetime) -> list[Done]:
        """Done actions whose done time is at or before `cutoff`, locked (skipping rows
        another process holds)."""
        rows = await self.db.fetch(
            "SELECT * FROM actions.actions WHERE status = 'done' AND done_at <= $1 "
            "FOR UPDATE SKIP LOCKED",
            cutoff,
        )
        return [
            Done(
                r["action_id"],
                r["rule_id"],
                r["metric"],
                r["scope_type"],
                r["scope_id"],
                r["done_at"],
            )
            for r in rows
        ]

    async def set_evaluated(self, result: ActionEvaluated) -> None:
        await self.db.execute(
            "UPDATE actions.actions SET status = 'evaluated', updated_at = $2, "
            "evaluation = $3::jsonb WHERE action_id = $1",
            result.action_id,
            result.evaluated_at,
            result.model_dump_json(),
        )

    async def search(
        self,
        status: str | None,
        kind: str | None,
        scope_type: str | None,
        scope_id: str | None,
        limit: int,
        offset: int,
        team_id: str | None = None,
        agent_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """Newest first; `team_id` / `agent_id` narrow to a team's actions or to the coaching
        addressed to one agent."""
        rows = await self.db.fetch(
            """SELECT * FROM actions.actions
               WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR kind = $2)
                 AND ($3::text IS NULL OR scope_type = $3) AND ($4::text IS NULL OR scope_id = $4)
                 AND ($7::text IS NULL OR team_id = $7)
                 AND ($8::text IS NULL OR (scope_type = 'agent' AND scope_id = $8))
               ORDER BY raised_at DESC, action_id LIMIT $5 OFFSET $6""",
            status,
            kind,
            scope_type,
            scope_id,
            limit,
            offset,
            team_id,
            agent_id,
        )
        return [dict(r) for r in rows]

    async def get(self, action_id: str) -> dict[str, Any] | None:
        row = await self.db.fetchrow(
            "SELECT * FROM actions.actions WHERE action_id = $1", action_id
        )
        return None if row is None else dict(row)
