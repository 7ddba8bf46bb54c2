"""Reporting projects AutoQA trust-gate changes: each criterion's latest change wins whatever
the delivery order, a redelivery changes nothing, nothing is dead-lettered, and the dashboard
lists the unverified criteria first."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg
import httpx

from contracts.gates import GateState
from runtime.identity import Role
from runtime.identity.store import create_token
from services.reporting.app import build
from services.reporting.handlers import handle_batch
from services.reporting.settings import ReportingSettings
from services.scoring.domain.gate import Gate
from tests.gate_events import gate_change, record_of
from tests.kafka_helpers import GROUPS, skip_backlog
from tests.scored_events import NoBroker


async def test_latest_gate_change_wins_and_the_dashboard_lists_unverified(
    pool: asyncpg.Pool, servers: Any
) -> None:
    criterion = f"crit-{uuid.uuid4().hex[:8]}"
    topic = f"ql.scores.gates-{uuid.uuid4().hex[:6]}"
    opened = gate_change(criterion, "ab" * 10)
    held = Gate(criterion, opened.data.state, opened.data.since, "", opened.data.agreement)
    closed = gate_change(criterion, "ab" * 10 + "ffff", held)
    assert closed.data.state is GateState.UNVERIFIED and closed.data.since > opened.data.since
    # The newer change first, then the older one: the newer stays.
    batch = [record_of(closed, topic, 0), record_of(opened, topic, 1)]
    assert await handle_batch(batch, pool, NoBroker()) == 2  # type: ignore[arg-type]
    assert await handle_batch(batch, pool, NoBroker()) == 0  # type: ignore[arg-type]
    row = await pool.fetchrow(
        "SELECT * FROM reporting.autoqa_gates WHERE criterion_id = $1", criterion
    )
    assert (row["state"], row["previous"], row["event_id"]) == ("unverified", "trusted", closed.id)
    assert row["since"] == closed.data.since and row["pairs"] == 24
    assert row["kappa_low"] == closed.data.agreement.kappa_low < 0.6

    trusted = f"crit-{uuid.uuid4().hex[:8]}"
    await handle_batch([record_of(gate_change(trusted, "ab" * 10), topic, 2)], pool, NoBroker())  # type: ignore[arg-type]
    await skip_backlog(servers.kafka, "qualityloop-reporting", GROUPS["qualityloop-reporting"])
    app = build(
        ReportingSettings(kafka_bootstrap_servers=servers.kafka, database_url=servers.database_url)
    )
    _, token = await create_token(pool, Role.TEAM_LEADER, "team-gates", "test")
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://r",
            headers={"authorization": f"Bearer {token}"},
        ) as http:
            response = await http.get("/v1/dashboard")
            page = (await http.get("/dashboard")).text
    assert response.status_code == 200, response.text
    gates = [
        g for g in response.json()["autoqa_gates"] if g["criterion_id"] in (criterion, trusted)
    ]
    assert [(g["criterion_id"], g["state"]) for g in gates] == [
        (criterion, "unverified"),
        (trusted, "trusted"),
    ]
    assert gates[0]["kappa_low"] < 0.6 and "< 0.6" in gates[0]["reason"]
    assert 'id="gates"' in page
