"""Scoring wiring: the standard is loaded (and validated) before anything is consumed."""

from __future__ import annotations

from typing import Any

from aiokafka import ConsumerRecord
from fastapi import FastAPI
from faststream.kafka import KafkaBroker

from contracts import topics
from contracts.events import EvaluationAssignedEvent, ScoredEvent
from runtime.asyncapi import Published
from runtime.service import batch_consumer, service_app
from services.scoring import api, handlers
from services.scoring.autoqa_model import load_encoder
from services.scoring.domain.autoqa import semantic_detectors
from services.scoring.names import CONSUMER, MIGRATIONS, SERVICE
from services.scoring.pipeline import Scorer
from services.scoring.settings import ScoringSettings
from services.scoring.standards_files import load_standards

PUBLISHES: list[Published] = [
    (
        topics.SCORES,
        "Interactions, evaluations, surveys and complaints scored against the standard in "
        "force (ids derived from the source event), calibration sessions assessed, and "
        "AutoQA trust-gate changes per criterion.",
        ScoredEvent,
    ),
    (
        topics.ASSIGNMENTS,
        "Interactions the monitoring plans picked for a human evaluation.",
        EvaluationAssignedEvent,
    ),
]


def build(settings: ScoringSettings | None = None) -> FastAPI:
    settings = settings or ScoringSettings()
    # A malformed standard raises here: the service refuses to start rather than score
    # against half a standard.
    standard = load_standards(settings.standards_path)
    card = standard.scorecard(settings.auto_qa_scorecard)  # the automated scorecard must exist
    # The sentence encoder (~90 MB, a second to load) only when a detector reads by meaning;
    # a missing or altered model file stops the service here, like a malformed standard.
    embed = (
        load_encoder(cache_size=settings.autoqa_cache_size) if semantic_detectors(card) else None
    )
    scorer = Scorer(standard, settings.auto_qa_scorecard, settings.calibration_tolerance, embed)
    gate = settings.gate_rule()  # a bar out of range stops the service here too

    def subscribe(broker: KafkaBroker, app: FastAPI) -> None:
        async def on_events(records: tuple[ConsumerRecord[Any, Any], ...]) -> None:
            await handlers.handle_batch(records, broker, scorer, app.state.pool, gate)

        batch_consumer(
            broker,
            settings,
            [t.name for t in topics.CANONICAL],
            CONSUMER,
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
        publishes=PUBLISHES,
    )
    app.state.standard = standard
    app.state.gate = gate
    app.state.automated_criteria = scorer.automated_criteria
    app.include_router(api.router)
    return app
