"""Scoring wiring: the standard is loaded (and validated) before anything is consumed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiokafka import ConsumerRecord
from fastapi import FastAPI
from faststream.kafka import KafkaBroker

from contracts import topics
from runtime.service import batch_consumer, service_app
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
    standard.scorecard(settings.auto_qa_scorecard)  # the automated scorecard must exist
    scorer = Scorer(standard, settings.auto_qa_scorecard, settings.calibration_tolerance)

    def subscribe(broker: KafkaBroker, app: FastAPI) -> None:
        async def on_events(records: tuple[ConsumerRecord[Any, Any], ...]) -> None:
            await handlers.handle_batch(records, broker, scorer, app.state.pool)

        batch_consumer(
            broker,
            settings,
            [t.name for t in topics.CANONICAL],
            handlers.CONSUMER,
            "Canonical events scored against the standard in force.",
            on_events,
            app.state.consumers,
        )

    app = service_app(
        SERVICE,
        settings,
        subscribe=subscribe,
        migrations=MIGRATIONS,
        description=f"Scores events against standard {standard.id}.",
    )
    app.state.standard = standard
    app.include_router(api.router)
    return app
