"""Alerts at the edge: add a batch's counts, judge the totals, open incidents (one per kind and
scope; repeats count on it), each new one with its event and a webhook delivery per URL, all in
the batch's transaction. Also the sweep that closes quiet incidents."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import asyncpg

from contracts import topics
from contracts.actions import AlertRaised
from services.actions import events
from services.actions.alerting.domain.alerts import QUIET_KINDS, interval_alerts, recovered
from services.actions.alerting.domain.tally import SPIKE_HISTORY, complaint_spike, tally
from services.actions.settings import ActionsSettings
from services.actions.store import Store


async def observe(
    store: Store, batch: Sequence[object], settings: ActionsSettings
) -> list[AlertRaised]:
    """The alerts this batch raised that opened an incident."""
    counted = tally(batch)
    alerts = list(counted.critical)
    if counted.intervals:
        totals = await store.alerts.add_intervals(counted.intervals)
        alerts += interval_alerts(totals, settings.alert_min_offered)
        for kind, interval in recovered(totals, settings.alert_min_offered):
            await store.alerts.resolve_recovered(kind, interval.queue, interval.interval_start)
    for day in counted.complaints:
        total = await store.alerts.add_complaints(day)
        start, end = (day.day - SPIKE_HISTORY).date(), day.day.date()
        history = await store.alerts.complaint_history(day.category, start, end)
        spike = complaint_spike(
            day, total, history, settings.spike_confidence, settings.spike_min_complaints
        )
        if spike is not None:
            alerts.append(spike)
    return [a for a in alerts if await _open(store, a, settings.alert_webhooks)]


async def _open(store: Store, a: AlertRaised, webhooks: Sequence[str]) -> bool:
    if not await store.alerts.open_incident(a):
        return False
    event = events.alert(a)
    await store.outbox.append(event, a.group_key, topics.ALERTS.name)
    await store.deliveries.enqueue(a.alert_id, webhooks, event.model_dump_json().encode())
    return True


async def resolve_quiet(pool: asyncpg.Pool, quiet: timedelta = timedelta(hours=24)) -> int:
    """Event-driven incidents (critical breaches, complaint spikes) close after a quiet day;
    interval incidents close when an interval is back on target (in `observe`)."""
    return await Store.on(pool).alerts.resolve_quiet(QUIET_KINDS, quiet)
