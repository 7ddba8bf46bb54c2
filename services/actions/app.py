"""Actions wiring: scores → rule windows in Postgres → actions (through an outbox)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiokafka import ConsumerRecord
from fastapi import FastAPI
from faststream.kafka import KafkaBroker

from contracts import topics
from runtime.service import batch_consumer, service_app
from services.actions import handlers
from services.actions.domain.rules import load_rules
from services.actions.settings import ActionsSettings

SERVICE = "actions"
MIGRATIONS = Path(__file__).parent / "migrations"


def build(settings: ActionsSettings | None = None) -> FastAPI:
    settings = settings or ActionsSettings()
    rules = load_rules(settings.rules_path)  # a bad rules file stops the service here

    def subscribe(broker: KafkaBroker, app: FastAPI) -> None:
        async def on_scores(records: tuple[ConsumerRecord[Any, Any], ...]) -> None:
            await handlers.handle_scores(records, app.state.pool, broker, rules)

        batch_consumer(
            broker,
            settings,
            [topics.SCORES.name],
            handlers.CONSUMER,
            "Scored events feed the rule windows; actions are raised exactly once.",
            on_scores,
        )

    async def on_start(app: FastAPI) -> None:
        await handlers.flush_outbox(app.state.pool, app.state.broker)  # left over by a crash

    app = service_app(
        SERVICE, settings, subscribe=subscribe, migrations=MIGRATIONS, on_start=on_start
    )
    app.state.rules = rules
    return app
