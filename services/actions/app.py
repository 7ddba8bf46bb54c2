"""Actions wiring: subscriber on scores, Postgres pool and migrations, HTTP."""

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
from services.actions import handlers
from services.actions.domain.rules import load_rules
from services.actions.settings import ActionsSettings

SERVICE = "actions"
MIGRATIONS = Path(__file__).parent / "migrations"


def build(settings: ActionsSettings | None = None) -> FastAPI:
    settings = settings or ActionsSettings()
    rules = load_rules(settings.rules_path)  # a bad rules file stops the service here

    def setup(broker: KafkaBroker, state: dict[str, Any]) -> None:
        @broker.subscriber(
            topics.SCORES.name,
            group_id=handlers.CONSUMER,
            batch=True,
            max_records=settings.batch_max_records,
            batch_timeout_ms=settings.batch_timeout_ms,
            auto_offset_reset="earliest",
            ack_policy=AckPolicy.NACK_ON_ERROR,
            description="Scored events feed the rule windows; actions are raised exactly once.",
        )
        async def on_scores(message: KafkaMessage) -> None:
            records: tuple[ConsumerRecord[Any, Any], ...] = message.raw_message
            raised = await handlers.handle_scores(records, state["pool"], broker, rules)
            if raised:
                state["log"].info("actions raised", extra={"count": raised})

    async def startup(app: FastAPI) -> None:
        await migrate(MIGRATIONS, settings.database_url, SERVICE)
        app.state.pool = await create_pool(settings.database_url)
        await handlers.flush_outbox(app.state.pool, app.state.broker)  # left over by a crash

    async def shutdown(app: FastAPI) -> None:
        await app.state.pool.close()

    app = service_app(SERVICE, settings, setup=setup, startup=startup, shutdown=shutdown)
    app.state.rules = rules
    return app
