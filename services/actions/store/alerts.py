"""`actions.alerts` (incidents: one open per kind and scope), `actions.queue_intervals`
(per-queue 15-minute counters) and `actions.complaint_days` (complaints per category and day)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from contracts.actions import AlertRaised
from services.actions.alerting.domain import visibility
from services.actions.alerting.domain.alerts import QueueInterval
from services.actions.alerting.domain.tally import ComplaintDay
from services.actions.alerting.domain.visibility import team_of
from services.actions.store.base import Family

LISTED = """alert_id, kind, scope_type, scope_id, team_id, severity, metric, observed, target,
    interval_start, message, raised_at, created_at, last_seen_at, occurrences, resolved_at"""


class Alerts(Family):
    async def add_intervals(self, increments: Sequence[QueueInterval]) -> list[QueueInterval]:
        """Add a batch's counts to each queue interval (targets: the latest); the totals."""
        rows = await self.db.fetch(
            """INSERT INTO actions.queue_intervals AS q
                   (queue, interval_start, sl_offered, within, offered, abandoned,
                    sl_target, abandonment_target)
               SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::bigint[], $4::bigint[],
                                    $5::bigint[], $6::bigint[], $7::float8[], $8::float8[])
               ON CONFLICT (queue, interval_start) DO UPDATE SET
                   sl_offered = q.sl_offered + EXCLUDED.sl_offered,
                   within = q.within + EXCLUDED.within, offered = q.offered + EXCLUDED.offered,
                   abandoned = q.abandoned + EXCLUDED.abandoned,
                   sl_target = EXCLUDED.sl_target,
                   abandonment_target = EXCLUDED.abandonment_target
               RETURNING *""",
            [i.queue for i in increments],
            [i.interval_start for i in increments],
            [int(i.offered) for i in increments],
            [int(i.within) for i in increments],
            [int(i.all_offered) for i in increments],
            [int(i.abandoned) for i in increments],
            [i.sl_target for i in increments],
            [i.abandonment_target for i in increments],
        )
        return [
            QueueInterval(
                r["queue"],
                r["interval_start"],
                r["sl_offered"],
                r["within"],
                r["offered"],
                r["abandoned"],
                r["sl_target"],
                r["abandonment_target"],
            )
            for r in rows
        ]

    async def resolve_recovered(self, kind: str, queue: str, interval_start: datetime) -> None:
        """Close the queue's open incident of `kind` raised for an earlier interval."""
        await self.db.execute(
            "UPDATE actions.alerts SET resolved_at = now() WHERE kind = $1 AND "
            "scope_type = 'queue' AND scope_id = $2 AND resolved_at IS NULL "
            "AND interval_start < $3",
            kind,
            queue,
            interval_start,
        )

    async def add_complaints(self, c: ComplaintDay) -> int:
        """Add to the category's count for the day; the day's total."""
        total: int = await self.db.fetchval(
            """INSERT INTO actions.complaint_days AS d (category, day, complaints)
               VALUES ($1, $2, $3) ON CONFLICT (category, day)
               DO UPDATE SET complaints = d.complaints + EXCLUDED.complaints
               RETURNING complaints""",
            c.category,
            c.day.date(),
            c.complaints,
        )
        return total

    async def complaint_history(self, category: str, start: date, end: date) -> dict[date, int]:
        """Complaints per day in [start, end), days with some only."""
        rows = await self.db.fetch(
            "SELECT day, complaints FROM actions.complaint_days WHERE category = $1 "
            "AND day >= $2 AND day < $3",
            category,
            start,
            end,
        )
        return {r["day"]: r["complaints"] for r in rows}

    async def open_incident(self, a: AlertRaised) -> bool:
        """Open an incident for the alert; if one is open for its kind and scope (or the alert
        exists), count the repeat there instead and return False."""
        row = await self.db.fetchrow(
            """INSERT INTO actions.alerts (alert_id, kind, scope_type, scope_id, severity,
                   metric, observed, target, interval_start, message, raised_at, payload, team_id)
               VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12::jsonb,$13) ON CONFLICT DO NOTHING
               RETURNING alert_id""",
            a.alert_id,
            a.kind,
            a.scope.type.value,
            a.scope.id,
            a.severity.value,
            a.metric,
            a.observed,
            a.target,
            a.interval_start,
            a.message,
            a.raised_at,
            a.model_dump_json(),
            team_of(a),
        )
        if row is not None:
            return True
        await self.db.execute(
            "UPDATE actions.alerts SET last_seen_at = now(), occurrences = occurrences + 1 "
            "WHERE kind = $1 AND scope_type = $2 AND scope_id = $3 AND resolved_at IS NULL",
            a.kind,
            a.scope.type.value,
            a.scope.id,
        )
        return False

    async def resolve_quiet(self, kinds: Sequence[str], quiet: timedelta) -> int:
        """Close open incidents of `kinds` not seen for `quiet`; how many."""
        status = await self.db.execute(
            "UPDATE actions.alerts SET resolved_at = now() WHERE resolved_at IS NULL "
            "AND kind = ANY($1::text[]) AND last_seen_at < now() - $2::interval",
            list(kinds),
            quiet,
        )
        return int(status.split()[-1])

    async def search(
        self, open_only: bool, limit: int, team: str | None = None
    ) -> list[dict[str, Any]]:
        """Newest first; with `team`, only what that team's leader may see."""
        rows = await self.db.fetch(
            f"""SELECT {LISTED} FROM actions.alerts WHERE (NOT $1 OR resolved_at IS NULL)
                AND {visibility.sql(3)} ORDER BY created_at DESC LIMIT $2""",
            open_only,
            limit,
            team,
        )
        return [dict(r) for r in rows]

    async def created_after(
        self, since: datetime, team: str | None = None
    ) -> list[tuple[str, datetime, str]]:
        """(alert_id, created_at, payload JSON) of incidents opened after `since`, oldest first;
        with `team`, only what that team's leader may see."""
        rows = await self.db.fetch(
            "SELECT alert_id, created_at, payload FROM actions.alerts WHERE created_at > $1 "
            f"AND {visibility.sql(2)} ORDER BY created_at",
            since,
            team,
        )
        return [(r["alert_id"], r["created_at"], r["payload"]) for r in rows]
