"""Scoring through the real broker: each family scored with the standard version recorded,
redelivery gives the same score id, a calibration session's alpha matches an independent
computation, and a malformed standard stops the service from starting."""

from __future__ import annotations

import asyncio
import json
import math
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from contracts import topics
from contracts.inbound import inbound_adapter
from services.ingest.domain.canonicalise import canonicalise, route
from services.ingest.domain.pseudonymise import Pseudonymiser
from services.scoring.app import build
from services.scoring.settings import DEFAULT_STANDARDS, ScoringSettings
from tests import factories as f
from tests.calibration_reference import reference_alpha
from tests.conftest import Servers
from tests.kafka_helpers import skip_backlog
from tests.processes import ROOT, ops_headers
from tests.topic_reader import end_offsets, read_from

P = Pseudonymiser("k", b"s")


@pytest.fixture(scope="module")
async def scoring_app(servers: Servers) -> AsyncIterator[Any]:
    await skip_backlog(servers.kafka, "qualityloop-scoring", [t.name for t in topics.CANONICAL])
    app = build(
        ScoringSettings(
            kafka_bootstrap_servers=servers.kafka,
            database_url=servers.database_url,
            batch_timeout_ms=50,
        )
    )
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
def scoring(scoring_app: Any) -> None:
    return None


async def publish(servers: Servers, raws: list[dict[str, Any]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=servers.kafka, acks="all")
    await producer.start()
    try:
        for raw in raws:
            event = canonicalise(inbound_adapter.validate_python(raw), "/test", P)
            topic, key = route(event)
            await producer.send_and_wait(topic.name, event.model_dump_json().encode(), key=key)
    finally:
        await producer.stop()


async def scored(servers: Servers, start: Any, marker: str, want: int) -> list[dict[str, Any]]:
    records = await read_from(servers.kafka, start, want, marker, wait_s=90)
    return [json.loads(r.value) for r in records]


async def test_each_family_is_scored_with_its_standard_version(
    scoring: None, servers: Servers
) -> None:
    marker = uuid.uuid4().hex[:10]
    start = await end_offsets(servers.kafka, topics.SCORES.name)
    transcript = (
        "Good morning, thank you for calling. Can I confirm your date of birth? "
        "I'm sorry about that, I've refunded it. To summarise: refund in 3 days. "
        "Anything else?"
    )
    raws = [
        f.interaction(queue=f"q{marker}", transcript=transcript, wait=30),
        f.evaluation(
            agent=f"agent-{marker}",
            answers={"greeting": "yes", "identity-verification": "yes", "tone": 3},
        ),
        f.survey(verbatim=f"{marker} the agent was wonderful and helpful", csat=5, nps=10),
        f.complaint(description=f"{marker} I was kept waiting and nobody called back, awful"),
    ]
    raws[2]["data"]["agent_id"] = f"agent-{marker}"
    await publish(servers, raws)
    found = await scored(servers, start, marker, 4)
    by_type = {e["type"].removeprefix("io.qualityloop."): e for e in found}
    assert set(by_type) == {
        "interaction.scored",
        "evaluation.scored",
        "survey.scored",
        "complaint.scored",
    }
    for event in found:
        assert event["data"]["standard_version"].startswith("generic-contact-centre:")
    interaction = by_type["interaction.scored"]["data"]
    assert interaction["operational"]["answered_within_threshold"] is False  # 30 s > 20 s
    assert interaction["auto_qa"]["automated"] and interaction["auto_qa"]["score"] > 50
    assert interaction["interaction"]["transcript"] is None  # evidence carries what matters
    evaluation = by_type["evaluation.scored"]["data"]
    assert evaluation["qa"]["scorecard_version"] and evaluation["counts_toward_agent"]
    assert by_type["survey.scored"]["data"]["sentiment"] > 0.5
    assert by_type["survey.scored"]["data"]["nps_category"] == "promoter"
    complaint = by_type["complaint.scored"]["data"]
    assert complaint["sentiment"] < 0 and complaint["resolve_by"] > complaint["acknowledge_by"]


async def test_redelivered_event_gets_the_same_score_id(scoring: None, servers: Servers) -> None:
    marker = uuid.uuid4().hex[:10]
    start = await end_offsets(servers.kafka, topics.SCORES.name)
    raw = f.interaction(queue=f"q{marker}")
    await publish(servers, [raw, raw])
    found = await scored(servers, start, marker, 2)
    assert len(found) == 2 and found[0]["id"] == found[1]["id"]
    assert found[0]["data"] == found[1]["data"]


async def test_calibration_session_alpha_matches_an_independent_computation(
    scoring: None, servers: Servers
) -> None:
    session = f"cal-{uuid.uuid4().hex[:8]}"
    sheets = {
        "qa-a": {
            "greeting": "yes",
            "identity-verification": "yes",
            "empathy": "yes",
            "summary": "no",
            "tone": 3,
        },
        "qa-b": {
            "greeting": "yes",
            "identity-verification": "yes",
            "empathy": "no",
            "summary": "no",
            "tone": 3,
        },
        "qa-c": {
            "greeting": "no",
            "identity-verification": "yes",
            "empathy": "no",
            "summary": "yes",
            "tone": 1,
        },
    }
    start = await end_offsets(servers.kafka, topics.SCORES.name)
    await publish(
        servers,
        [
            f.evaluation(
                evaluator=e,
                answers=a,
                calibration=session,
                agent="agent-cal",
                interaction_id="int-cal",
            )
            for e, a in sheets.items()
        ],
    )
    found: list[dict[str, Any]] = []
    for _ in range(40):
        found = [
            e
            for e in await scored(servers, start, session, 1)
            if e["type"].endswith("calibration.assessed")
        ]
        if any(e["data"]["evaluators"] == 3 for e in found):
            break
        await asyncio.sleep(0.25)
    final = max(found, key=lambda e: e["data"]["evaluators"])["data"]
    assert final["evaluators"] == 3

    criteria = sorted({c for a in sheets.values() for c in a})

    def code(answer: object) -> float:
        if answer is None:
            return math.nan
        if answer in ("yes", "no"):
            return 1.0 if answer == "yes" else 0.0
        return 10.0 + float(answer)  # type: ignore[arg-type]

    matrix = [[code(a.get(c)) for c in criteria] for a in sheets.values()]
    assert final["alpha"] == pytest.approx(reference_alpha(matrix), abs=1e-3)
    evaluations = [
        e
        for e in await scored(servers, start, session, 3)
        if e["type"].endswith("evaluation.scored")
    ]
    assert evaluations and not any(e["data"]["counts_toward_agent"] for e in evaluations)


def test_malformed_standard_stops_the_service(tmp_path: Path, servers: Servers) -> None:
    bad = tmp_path / "standards"
    shutil.copytree(DEFAULT_STANDARDS, bad)
    card = bad / "scorecards" / "core-qa.yaml"
    card.write_text(card.read_text().replace("weight: 35", "weight: lots"))
    proc = subprocess.run(
        [sys.executable, "-m", "services.scoring"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **os.environ,
            "STANDARDS_PATH": str(bad),
            "HTTP_PORT": "0",
            "KAFKA_BOOTSTRAP_SERVERS": servers.kafka,
            "DATABASE_URL": servers.database_url,
        },
    )
    assert proc.returncode != 0
    assert str(card) in proc.stderr and "sections.1.weight" in proc.stderr


async def test_monitoring_plan_assigns_within_quota_and_tracks_completion(
    scoring_app: Any, servers: Servers
) -> None:
    agent = f"agent-mon-{uuid.uuid4().hex[:6]}"
    start = await end_offsets(servers.kafka, topics.ASSIGNMENTS.name)
    low = "Yeah? Not my department, ring back."  # fails identity check: auto QA score 0
    raws = [
        f.interaction(
            agent=agent,
            channel=ch,
            interaction_id=f"{agent}-{ch}-{n}",
            offered=f.T0 + timedelta(minutes=n),
            transcript=low if n < 3 else None,
        )
        for n in range(60)
        for ch in ("voice", "chat", "email")
    ]
    await publish(servers, raws)
    found: list[dict[str, Any]] = []
    for _ in range(40):
        found = [json.loads(r.value) for r in await read_from(servers.kafka, start, 8, agent, 2)]
        if len({e["id"] for e in found}) >= 8:
            break
    assignments = {e["id"]: e["data"] for e in found}
    reasons = [a["reason"] for a in assignments.values()]
    assert reasons.count("low_auto_score") == 2  # risk quota per agent per week
    random_by_channel = {
        ch: sum(1 for a in assignments.values() if a["reason"] == "random" and a["channel"] == ch)
        for ch in ("voice", "chat", "email")
    }
    assert random_by_channel == {"voice": 2, "chat": 2, "email": 2}  # ceil(4 / 3) each

    picked = next(a for a in assignments.values() if a["reason"] == "random")
    await publish(
        servers,
        [
            f.evaluation(
                agent=agent,
                interaction_id=picked["interaction_id"],
                answers={"identity-verification": "yes"},
            )
        ],
    )
    week = picked["week"]
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=scoring_app),
        base_url="http://s",
        headers=await ops_headers(servers.database_url),
    ) as http:
        for _ in range(40):
            body = (await http.get("/v1/monitoring/coverage", params={"week": week})).json()
            row = next(r for r in body["agents"] if r["agent_id"] == agent)
            if row["completed"] == 1:
                break
            await asyncio.sleep(0.25)
    assert row["assigned"] == 8 and row["random"] == 6 and row["risk_based"] == 2
    assert row["completed"] == 1 and row["target"] == 4 and row["coverage_pct"] == 25.0


async def test_automated_checks_are_measured_against_human_answers(
    scoring_app: Any, servers: Servers
) -> None:
    iid = f"int-acc-{uuid.uuid4().hex[:8]}"
    # The bill makes an identity check due (applies_when), so its absence is a "no", not N/A.
    transcript = "Good morning, thank you for calling. I'm sorry about the bill. Anything else?"
    # Automated: greeting yes, empathy yes, identity-verification no. The human disagrees on
    # greeting (a false pass) and agrees on the other two.
    await publish(
        servers,
        [
            f.evaluation(
                interaction_id=iid,
                answers={"greeting": "no", "empathy": "yes", "identity-verification": "no"},
            ),
            f.interaction(interaction_id=iid, transcript=transcript),
        ],
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=scoring_app),
        base_url="http://s",
        headers=await ops_headers(servers.database_url),
    ) as http:
        for _ in range(40):
            rows = await scoring_app.state.pool.fetch(
                "SELECT criterion_id, auto_answer, human_answer FROM scoring.criterion_answers "
                "WHERE interaction_id = $1 AND auto_answer IS NOT NULL "
                "AND human_answer IS NOT NULL",
                iid,
            )
            if len(rows) == 3:
                break
            await asyncio.sleep(0.25)
        report = {r["criterion_id"]: r for r in (await http.get("/v1/autoqa/accuracy")).json()}
    pairs = {r["criterion_id"]: (r["auto_answer"], r["human_answer"]) for r in rows}
    assert pairs == {
        "greeting": ("yes", "no"),
        "empathy": ("yes", "yes"),
        "identity-verification": ("no", "no"),
    }
    assert report["greeting"]["false_pass"] >= 1
    assert report["identity-verification"]["compared"] >= 1
