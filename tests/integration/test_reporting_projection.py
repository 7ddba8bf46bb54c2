"""Reporting's batch handler against real Postgres: KPI values equal an independent reference
computation; a redelivered batch and a resent event change nothing; a correction replaces."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta
from typing import Any

import asyncpg

from services.reporting.handlers import handle_batch
from tests import factories as f
from tests.scored_events import THRESHOLD, NoBroker, records, scored_event


async def kpis(pool: asyncpg.Pool, queue: str) -> asyncpg.Record:
    return await pool.fetchrow(
        """SELECT sum(offered) offered, sum(answered) answered, sum(abandoned) abandoned,
                  round(100.0 * sum(answered_within_threshold) / nullif(sum(offered), 0), 2) sl,
                  round((sum(aht_seconds * answered) / nullif(sum(answered), 0))::numeric, 1) aht_w
           FROM reporting.kpi_15min WHERE queue = $1""",
        queue,
    )


async def test_kpis_match_reference_and_redelivery_changes_nothing(pool: asyncpg.Pool) -> None:
    rng = random.Random(3)
    queue, topic = f"q-{uuid.uuid4().hex[:8]}", f"ql.scores.test-{uuid.uuid4().hex[:6]}"
    raws = [
        f.interaction(
            queue=queue,
            agent=f"a{rng.randint(1, 4)}",
            wait=rng.uniform(0, 60),
            talk=rng.uniform(60, 600),
            hold=rng.choice([0, 30]),
            acw=rng.uniform(0, 90),
            abandoned=rng.random() < 0.15,
            offered=f.T0 + timedelta(minutes=rng.randint(0, 59)),
        )
        for _ in range(200)
    ]
    events = [scored_event(r) for r in raws]
    batch = records(events, topic)
    assert await handle_batch(batch, pool, NoBroker()) == 200  # type: ignore[arg-type]

    # Reference implementation of the formulas, straight from the raw events.
    answered = [r["data"] for r in raws if not r["data"]["abandoned"]]
    within = sum(1 for d in answered if d["wait_seconds"] <= THRESHOLD)
    handle = sum(
        d["talk_seconds"] + d["hold_seconds"] + d["after_contact_work_seconds"] for d in answered
    )
    got = await kpis(pool, queue)
    assert got["offered"] == 200 and got["answered"] == len(answered)
    assert float(got["sl"]) == round(100 * within / 200, 2)
    assert abs(float(got["aht_w"]) - handle / len(answered)) < 0.5  # per-bucket rounding

    # Redelivery of the whole batch, and the same events resent at new offsets: no change.
    assert await handle_batch(batch, pool, NoBroker()) == 0  # type: ignore[arg-type]
    assert await handle_batch(records(events, topic, first=500), pool, NoBroker()) == 0  # type: ignore[arg-type]
    assert (await kpis(pool, queue))["offered"] == 200


async def test_correction_replaces_the_interaction(pool: asyncpg.Pool) -> None:
    queue, topic = f"q-{uuid.uuid4().hex[:8]}", f"ql.scores.test-{uuid.uuid4().hex[:6]}"
    raw = f.interaction(queue=queue, wait=5)
    await handle_batch(records([scored_event(raw)], topic), pool, NoBroker())  # type: ignore[arg-type]
    fixed = f.interaction(queue=queue, wait=50, interaction_id=raw["data"]["interaction_id"])
    fixed["time"] = f.iso(f.T0 + timedelta(hours=1))
    event = scored_event(fixed).model_copy(update={"time": f.T0 + timedelta(hours=1)})
    await handle_batch(records([event], topic, first=1), pool, NoBroker())  # type: ignore[arg-type]
    got = await kpis(pool, queue)
    assert got["offered"] == 1 and float(got["sl"]) == 0.0


async def test_read_api_kpis_by_scope_with_intervals_and_csv(
    pool: asyncpg.Pool, servers: Any
) -> None:
    import httpx

    from runtime.identity import Role
    from runtime.identity.store import create_token
    from services.reporting.app import build
    from services.reporting.settings import ReportingSettings
    from tests.kafka_helpers import GROUPS, skip_backlog

    queue = f"q-{uuid.uuid4().hex[:8]}"
    events = [
        scored_event(
            f.interaction(queue=queue, wait=5 if n % 4 else 60, offered=f.T0 + timedelta(minutes=n))
        )
        for n in range(40)
    ]
    await handle_batch(records(events, f"api-{queue}"), pool, NoBroker())  # type: ignore[arg-type]
    await skip_backlog(servers.kafka, "qualityloop-reporting", GROUPS["qualityloop-reporting"])
    app = build(
        ReportingSettings(kafka_bootstrap_servers=servers.kafka, database_url=servers.database_url)
    )
    _, token = await create_token(pool, Role.OPS_MANAGER, None, "test")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        auth = {"authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(
            transport=transport, base_url="http://r", headers=auth
        ) as http:
            rows = (
                await http.get(
                    "/v1/kpis", params={"granularity": "day", "scope": "queue", "queue": queue}
                )
            ).json()
            csv_body = (
                await http.get(
                    "/v1/kpis", params={"granularity": "day", "queue": queue, "format": "csv"}
                )
            ).text
            page = (
                await http.get(
                    "/v1/kpis",
                    params={"granularity": "15min", "queue": queue, "limit": 2, "offset": 1},
                )
            ).json()
            bad = await http.get("/v1/kpis", params={"granularity": "week"})
    [row] = rows
    assert row["scope_id"] == queue and row["offered"] == 40 and row["service_level_n"] == 40
    assert row["service_level_pct"] == 75.0
    assert row["service_level_ci95"][0] < 75 < row["service_level_ci95"][1]
    assert csv_body.splitlines()[0].startswith("period,scope,scope_id,offered")
    assert len(csv_body.splitlines()) == 2
    assert len(page) == 2
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "query.granularity"
