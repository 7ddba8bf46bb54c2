"""Actions wiring: scores → rule windows in Postgres → actions (through an outbox)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta
from typing import Any

import httpx
from aiokafka import ConsumerRecord
from fastapi import FastAPI
from faststream.kafka import KafkaBroker

from contracts import topics
from contracts.events import (
    ActionEvaluatedEvent,
    ActionRaisedEvent,
    ActionTransitionedEvent,
    AlertRaisedEvent,
)
from runtime.asyncapi import Published
from runtime.limits import Slots
from runtime.service import batch_consumer, service_app
from services.actions import api, handlers, tracking
from services.actions.alerting import api as alerts_api
from services.actions.alerting import handlers as alerting
from services.actions.alerting import webhooks
from services.actions.names import CONSUMER, MIGRATIONS, SERVICE
from services.actions.rules_file import load_rules
from services.actions.settings import ActionsSettings

PUBLISHES: list[Published] = [
    (
        topics.ACTIONS,
        "Coaching and improvement actions raised, moved along their lifecycle and evaluated "
        "before/after (through the transactional outbox; ids from rule, scope and trigger).",
        ActionRaisedEvent | ActionTransitionedEvent | ActionEvaluatedEvent,
    ),
    (
        topics.ALERTS,
        "Operational alerts: interval service level or abandonment, complaint spikes, "
        "critical breaches (one open incident per kind and scope).",
        AlertRaisedEvent,
    ),
]


def build(settings: ActionsSettings | None = None) -> FastAPI:
    settings = settings or ActionsSettings()
    rules = load_rules(settings.rules_path)  # a bad rules file stops the service here

    def subscribe(broker: KafkaBroker, app: FastAPI) -> None:
        async def on_scores(records: tuple[ConsumerRecord[Any, Any], ...]) -> None:
            await handlers.handle_scores(records, app.state.pool, broker, rules, settings)

        batch_consumer(
            broker,
            settings,
            [topics.SCORES.name],
            CONSUMER,
            "Scored events feed the rule windows; actions are raised exactly once.",
            on_scores,
            app.state.consumers,
        )

    async def sweep(app: FastAPI) -> None:
        """Escalate overdue actions and evaluate those whose after-window has passed."""
        window = timedelta(seconds=settings.impact_window_s)
        secret = settings.webhook_secret.encode()
        while True:
            try:
                await tracking.escalate_overdue(app.state.pool)
                await tracking.evaluate_due(app.state.pool, rules, window)
                await alerting.resolve_quiet(app.state.pool)
                await handlers.flush_outbox(app.state.pool, app.state.broker)
                await webhooks.deliver_due(
                    app.state.pool,
                    app.state.http,
                    secret,
                    settings.webhook_max_attempts,
                    settings.webhook_backoff_s,
                )
            except Exception:  # a failed sweep is retried at the next interval
                logging.getLogger("qualityloop.actions").exception("sweep failed")
            await asyncio.sleep(settings.sweep_interval_s)

    async def on_start(app: FastAPI) -> None:
        await handlers.flush_outbox(app.state.pool, app.state.broker)  # left over by a crash
        app.state.http = httpx.AsyncClient(timeout=5.0)
        app.state.sweeper = asyncio.create_task(sweep(app))

    async def on_stop(app: FastAPI) -> None:
        app.state.sweeper.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await app.state.sweeper
        await app.state.http.aclose()

    app = service_app(
        SERVICE,
        settings,
        subscribe=subscribe,
        migrations=MIGRATIONS,
        on_start=on_start,
        on_stop=on_stop,
        publishes=PUBLISHES,
    )
    app.state.rules = rules
    app.state.alert_streams = Slots(settings.alert_streams_per_caller, settings.alert_streams_total)
    app.include_router(api.router)
    app.include_router(alerts_api.router)
    return app
