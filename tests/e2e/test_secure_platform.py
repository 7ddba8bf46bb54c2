"""The four services end to end on the secured broker (SASL/SCRAM + ACLs): each process runs
as its own Kafka principal and, on the local stack, its own Postgres role. One interaction
POSTed to ingest reaches reporting's KPIs and raises a coaching action, crossing every
service's ACLs (ingest → ql.interactions → scoring → ql.scores → actions → ql.actions →
reporting); no service meets a refusal on the way."""

from __future__ import annotations

import asyncio
import signal

import asyncpg
import httpx
import pytest

from tests import factories as f
from tests.conftest import Servers, _fresh_database
from tests.databases import poll_rows
from tests.processes import api_key, ops_headers
from tests.secure_kafka import SERVICES, SecureKafka, secure_platform, service_database

pytestmark = pytest.mark.slow

# Skips identity verification, a critical criterion: scoring fails it, actions coaches.
TRANSCRIPT = (
    "Agent: Good morning, thank you for calling, my name is Sam, how can I help? "
    "Customer: My card was charged twice. Agent: I'm sorry to hear that, I understand. "
    "Agent: I've refunded the duplicate charge. To summarise, the refund takes 3 to 5 days. "
    "Is there anything else I can help with today?"
)


async def poll(url: str, query: str, *args: object) -> list[asyncpg.Record]:
    return await poll_rows(url, query, *args, wait_s=90.0)


async def test_an_event_crosses_every_service_over_sasl(
    secure_kafka: SecureKafka, servers: Servers
) -> None:
    db = await asyncio.to_thread(service_database, servers.admin_url)
    if db is None:  # servers not from the local stack: one owner for all, Kafka still secured
        url = await asyncio.to_thread(_fresh_database, servers.admin_url)
        admin_url, urls = url, dict.fromkeys(SERVICES, url)
    else:
        admin_url, urls = db.admin_url, db.urls
    key = await api_key(urls["ingest"], source="/acd/secure")
    procs = secure_platform(secure_kafka, urls)
    for s in procs.values():
        s.start()
    try:
        for s in procs.values():
            await asyncio.to_thread(s.wait_ready)
        event = f.interaction(
            agent="agent-sasl", team="team-sasl", queue="queue-sasl", wait=12, transcript=TRANSCRIPT
        )
        async with httpx.AsyncClient(
            base_url=procs["ingest"].url, headers={"Authorization": f"Bearer {key}"}
        ) as http:
            response = await http.post("/v1/interactions", json=event)
        assert response.status_code == 202, response.text

        kpi = await poll(
            admin_url, "SELECT * FROM reporting.kpi_15min WHERE queue = $1", "queue-sasl"
        )
        assert kpi[0]["offered"] == 1 and kpi[0]["critical_fails"] == 1
        actions = await poll(
            admin_url, "SELECT * FROM reporting.actions WHERE scope_id = $1", "agent-sasl"
        )
        assert actions[0]["kind"] == "coaching"
        async with httpx.AsyncClient(headers=await ops_headers(admin_url)) as http:
            for s in procs.values():
                health = await http.get(s.url + "/health/consumers")
                assert health.status_code == 200, (s.name, health.text)
        if db is not None:  # each process is connected as its own role
            seen = await poll(
                admin_url,
                "SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = current_database()"
                " AND usename LIKE 'ql\\_%'",
            )
            assert {r["usename"] for r in seen} == {f"ql_{s}" for s in SERVICES}
    finally:
        codes = {name: s.stop(signal.SIGTERM) for name, s in procs.items()}
    assert codes == dict.fromkeys(procs, 0), {n: procs[n].tail() for n in codes}
    for s in procs.values():
        log = s.log_path.read_text(errors="replace")
        assert "AuthorizationFailed" not in log and "not authorized" not in log, s.tail(80)
