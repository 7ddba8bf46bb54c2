"""Ingest answers bodies up to its own `MAX_BODY_BYTES` (8 MiB: a batch of 1,000 events with
transcripts), not the 1 MiB limit every other service applies; above it, 413 naming the body."""

from __future__ import annotations

import httpx

from services.ingest.app import build
from services.ingest.settings import IngestSettings
from tests import factories as f
from tests.conftest import Servers
from tests.processes import api_key


async def test_a_batch_over_one_mib_is_accepted_up_to_max_body_bytes(servers: Servers) -> None:
    settings = IngestSettings(
        kafka_bootstrap_servers=servers.kafka,
        database_url=servers.database_url,
        max_body_bytes=3 * 1024 * 1024,
    )
    app = build(settings)
    async with app.router.lifespan_context(app):
        key = await api_key(servers.database_url, source="/test/body-limit")
        transport = httpx.ASGITransport(app=app)
        auth = {"Authorization": f"Bearer {key}"}
        async with httpx.AsyncClient(transport=transport, base_url="http://i", headers=auth) as c:
            batch = [f.interaction(transcript="words " * 2000) for _ in range(150)]  # ~1.8 MiB
            response = await c.post("/v1/events/batch", json=batch)
            assert response.status_code == 200, response.text[:300]
            assert response.json()["accepted"] == 150
            too_big = await c.post("/v1/events/batch", json=batch * 2)
            assert too_big.status_code == 413
            assert too_big.json()["errors"][0]["field"] == "(body)"
