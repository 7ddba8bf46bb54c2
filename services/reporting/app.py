"""Reporting wiring: scores and actions → projections in Postgres; the read API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiokafka import ConsumerRecord
from fastapi import FastAPI
from faststream.kafka import KafkaBroker

from runtime.service import batch_consumer, service_app
from services.reporting import api, dashboard, experience_api, handlers, records_api
from services.reporting.settings import ReportingSettings

SERVICE = "reporting"
MIGRATIONS = Path(__file__).parent / "migrations"


def build(settings: ReportingSettings | None = None) -> FastAPI:
    settings = settings or ReportingSettings()

    def subscribe(broker: KafkaBroker, app: FastAPI) -> None:
        async def on_events(records: tuple[ConsumerRecord[Any, Any], ...]) -> None:
            await handlers.handle_batch(records, app.state.pool, broker)

        batch_consumer(
            broker,
            settings,
            list(handlers.TOPICS),
            handlers.CONSUMER,
            "Scores, complaints, actions and alerts projected into Postgres, exactly once.",
            on_events,
            app.state.consumers,
        )

    app = service_app(SERVICE, settings, subscribe=subscribe, migrations=MIGRATIONS)
    for router in (api.router, experience_api.router, records_api.router, dashboard.router):
        app.include_router(router)
    return app
