"""Actions through the real broker and Postgres: a team-wide pattern in scored events raises
one team improvement action (in Postgres and on ql.actions); replaying the same events raises
nothing more."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from contracts import topics
from services.actions import handlers, tracking
from services.actions.app import build
from services.actions.settings import ActionsSettings
from tests import factories as f
from tests.conftest import Servers
from tests.kafka_helpers import skip_backlog
from tests.processes import ops_headers, person_token
from tests.scored_events import scored_event, with_auto_qa
from tests.topic_reader import end_offsets, read_from


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
    assert payload["root_cause"] and payload["plan"]
    assert re.search(r"failing for (\d) of \1 agents", payload["summary"])


async def raise_team_action(servers: Servers, team: str, ended: datetime) -> None:
    """Send a team-wide missing-summary pattern whose interactions end just before `ended`."""
    events = [
        with_auto_qa(
            scored_event(
                f.interaction(
                    agent=f"{team}-a{a}",
                    team=team,
                    talk=0,
                    hold=0,
                    acw=0,
                    wait=1,
                    offered=ended - timedelta(seconds=1 + n * 10 + a),
                )
            ),
            summary_ok=n % 4 == 0,
        )
        for a in range(4)
        for n in range(20)
    ]
    producer = AIOKafkaProducer(bootstrap_servers=servers.kafka, acks="all")
    await producer.start()
    try:
        for e in events:
            await producer.send(
                topics.SCORES.name,
                e.model_dump_json().encode(),
                key=e.data.interaction.agent_id.encode(),
            )
        await producer.flush()
    finally:
        await producer.stop()


async def test_lifecycle_api_escalation_and_impact_evaluation(
    actions_app: Any, servers: Servers
) -> None:
    team = f"team-{uuid.uuid4().hex[:6]}"
    start = await end_offsets(servers.kafka, topics.ACTIONS.name)
    await raise_team_action(servers, team, datetime.now(UTC))
    pool = actions_app.state.pool
    for _ in range(60):
        action_id = await pool.fetchval(
            "SELECT action_id FROM actions.actions WHERE team_id = $1", team
        )
        if action_id:
            break
        await asyncio.sleep(0.25)
    assert action_id
    transport = httpx.ASGITransport(app=actions_app)
    headers = await ops_headers(servers.database_url)
    async with httpx.AsyncClient(transport=transport, base_url="http://a", headers=headers) as http:
        listed = (await http.get("/v1/actions", params={"scope_id": team})).json()
        assert [a["action_id"] for a in listed] == [action_id] and listed[0]["open"]
        assert (await http.get("/v1/actions/nope")).status_code == 404
        # Who moves an action comes from the token: a `by` in the body is refused.
        forged = {"status": "acknowledged", "by": "someone-else"}
        bad = await http.post(f"/v1/actions/{action_id}/transitions", json=forged)
        assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "body.by"
        skip = await http.post(f"/v1/actions/{action_id}/transitions", json={"status": "evaluated"})
        assert skip.status_code == 409 and "allowed" in skip.json()["errors"][0]["reason"]
        # Another team's leader sees nothing of it, and cannot move it.
        elsewhere = await person_token(servers.database_url, "team_leader", "elsewhere")
        other = {"Authorization": f"Bearer {elsewhere}"}
        assert (await http.get(f"/v1/actions/{action_id}", headers=other)).status_code == 404
        moved = await http.post(
            f"/v1/actions/{action_id}/transitions", json={"status": "acknowledged"}, headers=other
        )
        assert moved.status_code == 404
        own = await person_token(servers.database_url, "team_leader", team)
        leader = {"Authorization": f"Bearer {own}"}

        # Overdue: escalated once, status unchanged.
        later = datetime.now(UTC) + timedelta(days=30)
        assert await tracking.escalate_overdue(pool, now=later) >= 1
        assert await tracking.escalate_overdue(pool, now=later) == 0

        for status in ("acknowledged", "in_progress", "done"):
            r = await http.post(
                f"/v1/actions/{action_id}/transitions", json={"status": status}, headers=leader
            )
            assert r.status_code == 200 and r.json()["status"] == status, r.text
        recorded = await pool.fetch(
            "SELECT value FROM actions.outbox WHERE key = $1 "
            "AND convert_from(value, 'UTF8') LIKE '%action.transitioned%'",
            action_id.encode(),
        )
        by = {json.loads(bytes(v["value"]))["data"]["by"] for v in recorded}
        # the token's holder, as recorded; the overdue escalation above is the system's own
        assert by == {f"team_leader:{team}", "system"}
        done_at = datetime.fromisoformat(r.json()["done_at"])

    # After the fix the team closes its calls with a summary.
    after = [
        with_auto_qa(
            scored_event(
                f.interaction(
                    agent=f"{team}-a{a}",
                    team=team,
                    talk=0,
                    hold=0,
                    acw=0,
                    wait=1,
                    offered=done_at + timedelta(seconds=5 + n * 10 + a),
                )
            ),
            summary_ok=n % 10 != 0,
        )
        for a in range(4)
        for n in range(20)
    ]
    producer = AIOKafkaProducer(bootstrap_servers=servers.kafka, acks="all")
    await producer.start()
    for e in after:
        await producer.send(
            topics.SCORES.name,
            e.model_dump_json().encode(),
            key=e.data.interaction.agent_id.encode(),
        )
    await producer.stop()
    for _ in range(60):
        n = await pool.fetchval(
            "SELECT count(*) FROM actions.observations WHERE team_id = $1 AND observed_at >= $2 "
            "AND metric = 'auto_qa_score'",
            team,
            done_at,
        )
        if n == len(after):
            break
        await asyncio.sleep(0.25)
    window = timedelta(hours=1)
    assert (
        await tracking.evaluate_due(
            pool, actions_app.state.rules, window, now=done_at + window + timedelta(seconds=1)
        )
        >= 1
    )
    row = await pool.fetchrow(
        "SELECT status, evaluation FROM actions.actions WHERE action_id = $1", action_id
    )
    evaluation = json.loads(row["evaluation"])
    assert row["status"] == "evaluated"
    assert evaluation["verdict"] == "improved" and evaluation["test"] == "two_proportion_z"
    assert evaluation["before"] == 0.75 and evaluation["after"] == 0.1
    assert evaluation["n_before"] == 80 and evaluation["n_after"] == 80
    await handlers.flush_outbox(pool, actions_app.state.broker)
    events = [json.loads(r.value) for r in await read_from(servers.kafka, start, 7, action_id, 10)]
    kinds = sorted(e["type"].removeprefix("io.qualityloop.action.") for e in events)
    assert kinds.count("raised") == 1 and kinds.count("evaluated") == 1
    statuses = [e["data"]["status"] for e in events if e["type"].endswith("transitioned")]
    assert {"acknowledged", "in_progress", "done", "evaluated"} <= set(statuses)
    assert any(e["data"].get("escalated") for e in events if e["type"].endswith("transitioned"))
