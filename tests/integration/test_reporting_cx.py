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

from contracts.complaints import ComplaintRaised, ComplaintResolved, ComplaintUpdated
from contracts.events import (
    ComplaintResolvedEvent,
    ComplaintScoredEvent,
    ComplaintUpdatedEvent,
    SurveyScoredEvent,
)
from contracts.inbound import inbound_adapter
from contracts.scores import ComplaintScored, NpsCategory, SurveyScored
from contracts.surveys import SurveyResponded
from services.reporting.handlers import handle_batch
from tests import factories as f
from tests.integration.test_reporting_projection import NoBroker, records, scored_event


def raw_records(events: list[Any], topic: str, first: int = 0) -> list[Any]:
    return [
        ConsumerRecord(
            topic, 0, first + n, 0, 0, b"k", e.model_dump_json().encode(), None, 0, 0, []
        )
        for n, e in enumerate(events)
    ]


def survey(queue: str, csat: int, nps: int, ces: int) -> SurveyScoredEvent:
    raw = f.survey(csat=csat, nps=nps)
    raw["data"] |= {"queue": queue, "ces": ces, "team_id": "t1"}
    s = SurveyResponded.model_validate(
        inbound_adapter.validate_python(raw).data.model_dump() | {"customer": None}
    )
    category = (
        NpsCategory.PROMOTER
        if nps >= 9
        else NpsCategory.PASSIVE
        if nps >= 7
        else NpsCategory.DETRACTOR
    )
    return SurveyScoredEvent(
        id=str(uuid.uuid4()),
        source="/t",
        time=s.responded_at,
        data=SurveyScored(
            source_event_id=raw["id"],
            standard_version="s",
            survey=s,
            csat_top2=csat >= 4,
            nps_category=category,
        ),
    )


def complaint(queue: str, hours_to_resolve: float | None, n: int) -> list[Any]:
    raw = f.complaint(at=f.T0 + timedelta(minutes=n))
    raw["data"] |= {"queue": queue}
    c = ComplaintRaised.model_validate(
        inbound_adapter.validate_python(raw).data.model_dump() | {"customer": None}
    )
    events: list[Any] = [
        ComplaintScoredEvent(
            id=str(uuid.uuid4()),
            source="/t",
            time=c.raised_at,
            data=ComplaintScored(
                source_event_id=raw["id"],
                standard_version="s",
                complaint=c,
                severity=c.severity,
                acknowledge_by=c.raised_at + timedelta(hours=24),
                resolve_by=c.raised_at + timedelta(hours=48),
            ),
        )
    ]
    events.append(
        ComplaintUpdatedEvent(
            id=str(uuid.uuid4()),
            source="/t",
            time=c.raised_at,
            data=ComplaintUpdated(
                complaint_id=c.complaint_id,
                status="acknowledged",
                updated_at=c.raised_at + timedelta(hours=1),
            ),
        )
    )
    if hours_to_resolve is not None:
        events.append(
            ComplaintResolvedEvent(
                id=str(uuid.uuid4()),
                source="/t",
                time=c.raised_at,
                data=ComplaintResolved(
                    complaint_id=c.complaint_id,
                    outcome="upheld",
                    root_cause="billing system",
                    resolved_at=c.raised_at + timedelta(hours=hours_to_resolve),
                ),
            )
        )
    return events


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
