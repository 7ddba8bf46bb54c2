"""Scoring wiring: standards loaded (and validated) before anything is consumed."""

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
from services.scoring import api, handlers
from services.scoring.domain.standards import load_standards
from services.scoring.pipeline import Scorer
from services.scoring.settings import ScoringSettings

SERVICE = "scoring"
MIGRATIONS = Path(__file__).parent / "migrations"


def build(settings: ScoringSettings | None = None) -> FastAPI:
    settings = settings or ScoringSettings()
    # A malformed standard raises here: the service refuses to start rather than score
    # against half a standard.
    standard = load_standards(settings.standards_path)
    scorer = Scorer(standard, settings.auto_qa_scorecard, settings.calibration_tolerance)
    standard.scorecard(settings.auto_qa_scorecard)  # the automated scorecard must exist

    def setup(broker: KafkaBroker, state: dict[str, Any]) -> None:
        @broker.subscriber(
            *(t.name for t in topics.CANONICAL),
            group_id=handlers.CONSUMER,
            batch=True,
            max_records=settings.batch_max_records,
            batch_timeout_ms=settings.batch_timeout_ms,
            auto_offset_reset="earliest",
            ack_policy=AckPolicy.NACK_ON_ERROR,
            description="Canonical events scored against the standard in force.",
        )
        async def on_events(message: KafkaMessage) -> None:
            records: tuple[ConsumerRecord[Any, Any], ...] = message.raw_message
            await handlers.handle_batch(records, broker, scorer, state["pool"])

    async def startup(app: FastAPI) -> None:
        await migrate(MIGRATIONS, settings.database_url, SERVICE)
        app.state.pool = await create_pool(settings.database_url)

    async def shutdown(app: FastAPI) -> None:
        await app.state.pool.close()

    app = service_app(
        SERVICE,
        settings,
        setup=setup,
        startup=startup,
        shutdown=shutdown,
        description=f"Scores events against standard {standard.id}.",
    )
    app.state.standard = standard
    app.include_router(api.router)
    return app
