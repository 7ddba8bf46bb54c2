"""Reporting wiring: subscriber on scores and actions, Postgres pool and migrations, read API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiokafka import ConsumerRecord
from fastapi import FastAPI
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from contracts import topics
from runtime.db import create_pool, migrate
from runtime.service import service_app
from services.reporting import api, handlers
from services.reporting.settings import ReportingSettings

SERVICE = "reporting"
MIGRATIONS = Path(__file__).parent / "migrations"


def build(settings: ReportingSettings | None = None) -> FastAPI:
    settings = settings or ReportingSettings()

    def setup(broker: KafkaBroker, state: dict[str, Any]) -> None:
        @broker.subscriber(
            topics.SCORES.name,
            topics.ACTIONS.name,
            group_id=handlers.CONSUMER,
            batch=True,
            max_records=settings.batch_max_records,
            batch_timeout_ms=settings.batch_timeout_ms,
            auto_offset_reset="earliest",
            ack_policy=AckPolicy.NACK_ON_ERROR,
            description="Scores and actions projected into Postgres, exactly once per event.",
        )
        async def on_events(message: KafkaMessage) -> None:
            records: tuple[ConsumerRecord[Any, Any], ...] = message.raw_message
            await handlers.handle_batch(records, state["pool"], broker)

    async def startup(app: FastAPI) -> None:
        await migrate(MIGRATIONS, settings.database_url, SERVICE)
        app.state.pool = await create_pool(settings.database_url)

    async def shutdown(app: FastAPI) -> None:
        await app.state.pool.close()

    app = service_app(SERVICE, settings, setup=setup, startup=startup, shutdown=shutdown)
    app.include_router(api.router)
    return app
