"""Ingest wiring: HTTP intake (FastAPI) and raw-topic intake (FastStream) in one process."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI
from faststream.kafka import KafkaBroker

from runtime.service import service_app
from services.ingest import api, handlers
from services.ingest.domain.pseudonymise import Pseudonymiser
from services.ingest.settings import DEV_SECRET, IngestSettings

SERVICE = "ingest"


def build(settings: IngestSettings | None = None) -> FastAPI:
    settings = settings or IngestSettings()
    pseudonymiser = Pseudonymiser(
        settings.pseudonym_key_id, settings.pseudonym_secret.get_secret_value().encode()
    )

    def setup(broker: KafkaBroker, state: dict[str, Any]) -> None:
        handlers.register(broker, settings, pseudonymiser)

    app = service_app(
        SERVICE,
        settings,
        setup=setup,
        description="Accepts contact-centre events; see /docs and /asyncapi.json.",
    )
    if settings.pseudonym_secret.get_secret_value() == DEV_SECRET:
        logging.getLogger("qualityloop.ingest").warning(
            "PSEUDONYM_SECRET is the development default: set a real secret"
        )
    app.state.pseudonymiser = pseudonymiser
    app.include_router(api.router)
    api.install_error_handlers(app)
    api.document_bodies(app)
    return app
