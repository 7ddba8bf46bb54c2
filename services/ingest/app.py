"""Ingest wiring: HTTP intake (FastAPI) and raw-topic intake (FastStream) in one process."""

from __future__ import annotations

import logging

from fastapi import FastAPI
from faststream.kafka import KafkaBroker

from contracts import topics
from contracts.events import (
    ComplaintRaisedEvent,
    ComplaintResolvedEvent,
    ComplaintUpdatedEvent,
    EvaluationSubmittedEvent,
    InteractionCompletedEvent,
    SurveyRespondedEvent,
)
from runtime.asyncapi import Published
from runtime.service import service_app
from services.ingest import api, handlers, openapi
from services.ingest.domain.pseudonymise import Pseudonymiser
from services.ingest.names import MIGRATIONS, SERVICE
from services.ingest.settings import DEV_SECRET, IngestSettings
from services.ingest.store import KeyRing

CANONICAL = "pseudonymised and redacted, keyed as contracts/topics.py says"
PUBLISHES: list[Published] = [
    (topics.INTERACTIONS, f"Completed interactions, {CANONICAL}.", InteractionCompletedEvent),
    (topics.EVALUATIONS, f"Submitted QA evaluations, {CANONICAL}.", EvaluationSubmittedEvent),
    (topics.SURVEYS, f"Survey responses, {CANONICAL}.", SurveyRespondedEvent),
    (
        topics.COMPLAINTS,
        f"Complaints raised, updated and resolved, {CANONICAL}.",
        ComplaintRaisedEvent | ComplaintUpdatedEvent | ComplaintResolvedEvent,
    ),
]


def build(settings: IngestSettings | None = None) -> FastAPI:
    settings = settings or IngestSettings()
    pseudonymiser = Pseudonymiser(
        settings.pseudonym_key_id, settings.pseudonym_secret.get_secret_value().encode()
    )

    def subscribe(broker: KafkaBroker, app: FastAPI) -> None:
        handlers.register(broker, settings, pseudonymiser, app.state.consumers)

    async def on_start(app: FastAPI) -> None:
        app.state.keyring = KeyRing(app.state.pool, settings.key_cache_ttl_s)

    app = service_app(
        SERVICE,
        settings,
        subscribe=subscribe,
        migrations=MIGRATIONS,
        on_start=on_start,
        description="Accepts contact-centre events; see /docs and /asyncapi.json.",
        publishes=PUBLISHES,
        max_body_bytes=settings.max_body_bytes,  # batches: MAX_BODY_BYTES, not the 1 MiB default
    )
    if settings.pseudonym_secret.get_secret_value() == DEV_SECRET:
        logging.getLogger("qualityloop.ingest").warning(
            "PSEUDONYM_SECRET is the development default: set a real secret"
        )
    app.state.pseudonymiser = pseudonymiser
    app.include_router(api.router)
    openapi.document_bodies(app)
    return app
