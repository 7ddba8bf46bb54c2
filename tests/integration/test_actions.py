"""Actions through the real broker and Postgres: a team-wide pattern in scored events raises
one team improvement action (in Postgres and on ql.actions); replaying the same events raises
nothing more."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer

from contracts import topics
from contracts.events import InteractionScoredEvent
from contracts.scores import CriterionResult, QaResult, SectionResult
from services.actions.app import build
from services.actions.settings import ActionsSettings
from tests import factories as f
from tests.conftest import Servers
from tests.integration.test_ingest_raw import end_offsets, read_from
from tests.integration.test_reporting_projection import scored_event
from tests.kafka_helpers import skip_backlog


@pytest.fixture(scope="module")
async def actions_app(servers: Servers) -> AsyncIterator[Any]:
    await skip_backlog(servers.kafka, "qualityloop-actions", [topics.SCORES.name])
    app = build(
        ActionsSettings(
            kafka_bootstrap_servers=servers.kafka,
            database_url=servers.database_url,
            batch_timeout_ms=50,
        )
    )
    async with app.router.lifespan_context(app):
        yield app


def with_auto_qa(event: InteractionScoredEvent, summary_ok: bool) -> InteractionScoredEvent:
    criteria = (
        CriterionResult(
            criterion_id="greeting",
            section_id="opening",
            answer="yes",
            points=1,
            max_points=1,
            automated=True,
        ),
        CriterionResult(
            criterion_id="summary",
            section_id="closing",
            answer="yes" if summary_ok else "no",
            points=1 if summary_ok else 0,
            max_points=1,
            automated=True,
        ),
    )
    qa = QaResult(
        scorecard_id="core-qa",
        scorecard_version="v",
        score=90 if summary_ok else 70,
        critical_failed=False,
        automated=True,
        sections=(SectionResult(section_id="opening", weight=1, score=100),),
        criteria=criteria,
    )
    return event.model_copy(update={"data": event.data.model_copy(update={"auto_qa": qa})})


async def test_team_pattern_raises_one_improvement_and_replay_raises_nothing(
    actions_app: Any, servers: Servers
) -> None:
    team = f"team-{uuid.uuid4().hex[:6]}"
    events = [
        with_auto_qa(
            scored_event(
                f.interaction(agent=f"{team}-a{a}", team=team, offered=f.T0 + timedelta(minutes=n))
            ),
            summary_ok=n % 4 == 0,
        )
        for a in range(4)
        for n in range(20)
    ]
    start = await end_offsets(servers.kafka, topics.ACTIONS.name)
    producer = AIOKafkaProducer(bootstrap_servers=servers.kafka, acks="all")
    await producer.start()
    try:
        for _ in range(2):  # the second pass is a replay of the same events
            for e in events:
                await producer.send(
                    topics.SCORES.name,
                    e.model_dump_json().encode(),
                    key=e.data.interaction.agent_id.encode(),
                )
            await producer.flush()
            await asyncio.sleep(1)
    finally:
        await producer.stop()
    raised = [json.loads(r.value) for r in await read_from(servers.kafka, start, 2, team, 5)]
    pool = actions_app.state.pool
    rows = await pool.fetch("SELECT * FROM actions.actions WHERE team_id = $1", team)
    assert [(r["kind"], r["scope_type"], r["scope_id"], r["rule_id"]) for r in rows] == [
        ("improvement", "team", team, "summary-missing-pattern")
    ]
    assert len(raised) == 1 and raised[0]["data"]["kind"] == "improvement"
    payload = json.loads(rows[0]["payload"])
    assert payload["root_cause"] and payload["plan"] and "4 of 4 agents" in payload["summary"]
