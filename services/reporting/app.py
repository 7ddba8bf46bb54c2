"""Reporting wiring: the consumer (`handlers` → `write/`) projects scores, complaints, actions
and alerts into Postgres; the read API (`api` → `read/`) serves them."""

from __future__ import annotations

from typing import Any

from aiokafka import ConsumerRecord
from fastapi import FastAPI
from faststream.kafka import KafkaBroker

from runtime.service import batch_consumer, service_app
from services.reporting import api, handlers
from services.reporting.names import CONSUMER, MIGRATIONS, SERVICE, TOPICS
from services.reporting.settings import ReportingSettings


def build(settings: ReportingSettings | None = None) -> FastAPI:
    settings = settings or ReportingSettings()

    def subscribe(broker: KafkaBroker, app: FastAPI) -> None:
        async def on_events(records: tuple[ConsumerRecord[Any, Any], ...]) -> None:
            await handlers.handle_batch(records, app.state.pool, broker)

        batch_consumer(
            broker,
            settings,
            list(TOPICS),
            CONSUMER,
            "Scores, complaints, actions and alerts projected into Postgres, exactly once.",
            on_events,
            app.state.consumers,
        )

    app = service_app(SERVICE, settings, subscribe=subscribe, migrations=MIGRATIONS)
    app.include_router(api.router)
    return app
