"""Alerts at the edge: interval counters per queue, complaint counts per category and day,
incidents in Postgres (one open per kind and scope), the alert event and one webhook delivery
per configured URL written in the same transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

import asyncpg

from contracts import topics
from contracts.actions import AlertRaised
from contracts.events import AlertRaisedEvent, ComplaintScoredEvent, InteractionScoredEvent
from services.actions import store
from services.actions.domain.alerts import (
    QueueInterval,
    critical_alert,
    healthy,
    interval_alerts,
    is_spike,
    spike_alert,
)
from services.actions.settings import ActionsSettings

SOURCE = "/qualityloop/actions"


def _interval(at: datetime) -> datetime:
    return at.replace(minute=at.minute - at.minute % 15, second=0, microsecond=0)


async def observe_batch(
    conn: asyncpg.Connection, events: Sequence[object], settings: ActionsSettings
) -> list[AlertRaised]:
    """Update counters for the batch's new events and open (or extend) incidents."""
    counts: dict[tuple[str, datetime], list[float]] = defaultdict(lambda: [0, 0, 0, 0])
    targets: dict[tuple[str, datetime], tuple[float | None, float | None]] = {}
    complaints: dict[tuple[str, datetime], int] = defaultdict(int)
    alerts: list[AlertRaised] = []
    for e in events:
        if isinstance(e, InteractionScoredEvent):
            i, op = e.data.interaction, e.data.operational
            key = (i.queue, _interval(i.offered_at))
            c = counts[key]
            c[0] += op.counts_as_offered
            c[1] += op.answered_within_threshold and op.counts_as_offered
            c[2] += 1
            c[3] += i.abandoned
            targets[key] = (op.sl_target_percent, op.abandonment_target_percent)
            qa = e.data.auto_qa
            if qa is not None and qa.critical_failed and i.agent_id:
                alerts.append(critical_alert(i.agent_id, i.interaction_id, i.ended_at))
        elif isinstance(e, ComplaintScoredEvent):
            raised = e.data.complaint.raised_at
            complaints[
                (
                    e.data.complaint.category,
                    raised.replace(hour=0, minute=0, second=0, microsecond=0),
                )
            ] += 1
    if counts:
        keys = list(counts)
        rows = await conn.fetch(
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
            [k[0] for k in keys],
            [k[1] for k in keys],
            *[[int(counts[k][n]) for k in keys] for n in range(4)],
            [targets[k][0] for k in keys],
            [targets[k][1] for k in keys],
        )
        intervals = [
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
        alerts += interval_alerts(intervals, settings.alert_min_offered)
        for r in intervals:
            for kind in healthy(r, settings.alert_min_offered):
                await conn.execute(
                    "UPDATE actions.alerts SET resolved_at = now() WHERE kind = $1 AND "
                    "scope_type = 'queue' AND scope_id = $2 AND resolved_at IS NULL "
                    "AND interval_start < $3",
                    kind,
                    r.queue,
                    r.interval_start,
                )
    for (category, day), n in complaints.items():
        total = await conn.fetchval(
            """INSERT INTO actions.complaint_days AS d (category, day, complaints)
               VALUES ($1, $2, $3) ON CONFLICT (category, day)
               DO UPDATE SET complaints = d.complaints + EXCLUDED.complaints
               RETURNING complaints""",
            category,
            day.date(),
            n,
        )
        history = await conn.fetch(
            "SELECT day, complaints FROM actions.complaint_days WHERE category = $1 "
            "AND day >= $2 AND day < $3",
            category,
            (day - timedelta(days=14)).date(),
            day.date(),
        )
        first = min((r["day"] for r in history), default=day.date())
        days = max(1, (day.date() - first).days)
        baseline = [r["complaints"] for r in history] + [0] * (days - len(history))
        if is_spike(total, baseline, settings.spike_confidence, settings.spike_min_complaints):
            alerts.append(spike_alert(category, day, total, sum(baseline) / len(baseline)))
    return [a for a in alerts if await _open(conn, a, settings)]


async def _open(conn: asyncpg.Connection, a: AlertRaised, settings: ActionsSettings) -> bool:
    """Open an incident unless one is open for the kind and scope (then count it there)."""
    row = await conn.fetchrow(
        """INSERT INTO actions.alerts (alert_id, kind, scope_type, scope_id, severity, metric,
               observed, target, interval_start, message, raised_at, payload)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12::jsonb) ON CONFLICT DO NOTHING
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
    )
    if row is None:
        await conn.execute(
            "UPDATE actions.alerts SET last_seen_at = now(), occurrences = occurrences + 1 "
            "WHERE kind = $1 AND scope_type = $2 AND scope_id = $3 AND resolved_at IS NULL",
            a.kind,
            a.scope.type.value,
            a.scope.id,
        )
        return False
    event = AlertRaisedEvent(
        id=a.alert_id, source=SOURCE, time=a.raised_at, subject=a.group_key, data=a
    )
    await store.outbox(conn, event, a.group_key, topics.ALERTS.name)
    body = event.model_dump_json().encode()
    for url in settings.alert_webhooks:
        await conn.execute(
            "INSERT INTO actions.deliveries (alert_id, url, body) VALUES ($1, $2, $3) "
            "ON CONFLICT DO NOTHING",
            a.alert_id,
            url,
            body,
        )
    return True
