"""Surveys and complaints projected by reporting against real Postgres: CSAT, NPS, CES,
complaints per 1,000 contacts and resolution time equal a reference computed here; complaint
updates and resolutions change rows (in any arrival order); redelivery changes nothing."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta
from typing import Any

import asyncpg
import pytest
from aiokafka import ConsumerRecord

from services.reporting.handlers import handle_batch
from tests import factories as f
from tests.scored_events import NoBroker, complaint, records, scored_event, survey


def raw_records(events: list[Any], topic: str, first: int = 0) -> list[Any]:
    return [
        ConsumerRecord(
            topic, 0, first + n, 0, 0, b"k", e.model_dump_json().encode(), None, 0, 0, []
        )
        for n, e in enumerate(events)
    ]


async def test_customer_kpis_match_the_reference(pool: asyncpg.Pool) -> None:
    rng = random.Random(5)
    queue = f"q-{uuid.uuid4().hex[:6]}"
    topic = f"t-{uuid.uuid4().hex[:6]}"
    answers = [(rng.randint(1, 5), rng.randint(0, 10), rng.randint(1, 7)) for _ in range(120)]
    surveys = [survey(queue, *a) for a in answers]
    resolve = [rng.choice([None, 5.0, 30.0, 60.0]) for _ in range(15)]
    complaint_events = [e for n, h in enumerate(resolve) for e in complaint(queue, h, n)]
    rng.shuffle(complaint_events)  # lifecycle events in any order
    contacts = [
        scored_event(f.interaction(queue=queue, offered=f.T0 + timedelta(minutes=n)))
        for n in range(300)
    ]
    batch = (
        records(contacts, topic)
        + raw_records(surveys, topic, 1000)
        + raw_records(complaint_events, topic, 2000)
    )
    applied = await handle_batch(batch, pool, NoBroker())  # type: ignore[arg-type]
    assert applied == len(batch)
    assert await handle_batch(batch, pool, NoBroker()) == 0  # type: ignore[arg-type]

    s = await pool.fetchrow(
        "SELECT sum(responses) n, sum(csat_pct * csat_responses) / "
        "sum(csat_responses) csat, sum(nps * nps_responses) / "
        "sum(nps_responses) nps, sum(ces * responses) / sum(responses) ces "
        "FROM reporting.survey_daily WHERE queue = $1",
        queue,
    )
    csat = 100 * sum(a[0] >= 4 for a in answers) / len(answers)
    nps = 100 * (sum(a[1] >= 9 for a in answers) - sum(a[1] <= 6 for a in answers)) / len(answers)
    ces = sum(a[2] for a in answers) / len(answers)
    assert s["n"] == 120
    assert float(s["csat"]) == pytest.approx(csat, abs=0.01)
    assert float(s["nps"]) == pytest.approx(nps, abs=0.01)
    assert float(s["ces"]) == pytest.approx(ces, abs=0.01)

    c = await pool.fetchrow("SELECT * FROM reporting.complaints_daily WHERE queue = $1", queue)
    done = [h for h in resolve if h is not None]
    assert c["complaints"] == 15 and c["resolved"] == len(done)
    assert c["resolved_within_target"] == sum(1 for h in done if h <= 48)
    assert c["resolution_hours_avg"] == pytest.approx(sum(done) / len(done), abs=0.05)
    statuses = await pool.fetch(
        "SELECT status, acknowledged_at IS NOT NULL AS ack FROM "
        "reporting.complaint_facts WHERE queue = $1",
        queue,
    )
    assert sorted(r["status"] for r in statuses) == sorted(
        "resolved" if h is not None else "acknowledged" for h in resolve
    )
    assert all(r["ack"] for r in statuses)
    rate = await pool.fetchrow(
        "SELECT * FROM reporting.complaint_rate_daily WHERE queue = $1", queue
    )
    assert rate["contacts"] == 300 and rate["complaints"] == 15
    assert rate["complaints_per_1000"] == pytest.approx(50.0)


async def test_experience_kpis_over_the_read_api_match_the_reference(
    pool: asyncpg.Pool, servers: Any
) -> None:
    import httpx

    from runtime.identity import Role
    from runtime.identity.store import create_token
    from services.reporting.app import build
    from services.reporting.settings import ReportingSettings
    from tests.kafka_helpers import GROUPS, skip_backlog

    rng = random.Random(9)
    queue, topic = f"q-{uuid.uuid4().hex[:6]}", f"t-{uuid.uuid4().hex[:6]}"
    answers = [(rng.randint(1, 5), rng.randint(0, 10), rng.randint(1, 7)) for _ in range(80)]
    resolve = [rng.choice([None, 4.0, 20.0]) for _ in range(8)]
    contacts = [
        scored_event(f.interaction(queue=queue, offered=f.T0 + timedelta(minutes=n)))
        for n in range(160)
    ]
    batch = (
        records(contacts, topic)
        + raw_records([survey(queue, *a) for a in answers], topic, 1000)
        + raw_records(
            [e for n, h in enumerate(resolve) for e in complaint(queue, h, n)], topic, 2000
        )
    )
    await handle_batch(batch, pool, NoBroker())  # type: ignore[arg-type]
    # Human evaluations of three of the queue's contacts, and a calibration one (excluded).
    evaluated = [(80.0, True), (90.0, True), (100.0, True), (10.0, False)]
    await pool.executemany(
        """INSERT INTO reporting.evaluation_facts VALUES ($1, $1, $2, 'agent-1', 'team-a',
               'qa-1', 'call_listening', 'core-qa', 'v1', 's', $3, false, NULL, $4, $5)""",
        [
            (
                f"ev-{queue}-{n}",
                contacts[n].data.interaction.interaction_id,
                score,
                counts,
                f.T0 + timedelta(hours=1),
            )
            for n, (score, counts) in enumerate(evaluated)
        ],
    )
    await skip_backlog(servers.kafka, "qualityloop-reporting", GROUPS["qualityloop-reporting"])
    _, token = await create_token(pool, Role.OPS_MANAGER, None, "experience test")
    app = build(
        ReportingSettings(kafka_bootstrap_servers=servers.kafka, database_url=servers.database_url)
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://r", headers={"authorization": f"Bearer {token}"}
        ) as http:
            got = await http.get("/v1/kpis/experience", params={"scope": "queue", "queue": queue})
            fine = await http.get(
                "/v1/kpis/experience",
                params={"scope": "channel", "queue": queue, "granularity": "15min"},
            )
    assert sum(r["csat_n"] for r in fine.json()) == 80  # the same responses, finer buckets
    assert {r["scope_id"] for r in fine.json()} <= {"voice", "chat", "email", ""}  # "" unknown
    [row] = got.json()
    top2 = sum(a[0] >= 4 for a in answers)
    assert row["csat_n"] == 80 and row["csat_pct"] == pytest.approx(100 * top2 / 80, abs=0.01)
    low, high = row["csat_ci95"]
    assert low < row["csat_pct"] < high
    nps = 100 * (sum(a[1] >= 9 for a in answers) - sum(a[1] <= 6 for a in answers)) / 80
    assert row["nps"] == pytest.approx(nps, abs=0.01)
    assert row["ces"] == pytest.approx(sum(a[2] for a in answers) / 80, abs=0.01)
    done = [h for h in resolve if h is not None]
    assert row["complaints"] == 8 and row["contacts"] == 160
    assert row["complaints_per_1000"] == pytest.approx(50.0)
    assert row["complaint_resolution_hours"] == pytest.approx(sum(done) / len(done), abs=0.05)
    assert (row["qa_score"], row["qa_n"]) == (90.0, 3)  # the calibration evaluation excluded
