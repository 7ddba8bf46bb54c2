"""Ingest wiring: HTTP intake (FastAPI) and raw-topic intake (FastStream) in one process."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from faststream.kafka import KafkaBroker

from runtime.db import create_pool, migrate
from runtime.service import service_app
from services.ingest import api, handlers
from services.ingest.domain.pseudonymise import Pseudonymiser
from services.ingest.settings import DEV_SECRET, IngestSettings
from services.ingest.store import KeyRing

SERVICE = "ingest"
MIGRATIONS = Path(__file__).parent / "migrations"


def build(settings: IngestSettings | None = None) -> FastAPI:
    settings = settings or IngestSettings()
    pseudonymiser = Pseudonymiser(
        settings.pseudonym_key_id, settings.pseudonym_secret.get_secret_value().encode()
    )

    def setup(broker: KafkaBroker, state: dict[str, Any]) -> None:
        handlers.register(broker, settings, pseudonymiser)

    async def startup(app: FastAPI) -> None:
        await migrate(MIGRATIONS, settings.database_url, SERVICE)
        app.state.pool = await create_pool(settings.database_url)
        app.state.keyring = KeyRing(app.state.pool, settings.key_cache_ttl_s)

    async def shutdown(app: FastAPI) -> None:
        await app.state.pool.close()

    app = service_app(
        SERVICE,
        settings,
        setup=setup,
        startup=startup,
        shutdown=shutdown,
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
