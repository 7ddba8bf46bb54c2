"""One event through all four service processes, on the real broker and the real database.

An interaction whose transcript skips identity verification (a critical criterion) is POSTed
to ingest; scoring fails it automatically; actions raises one coaching action; reporting writes
the KPI row and the action row. Personal data sent in never reaches Postgres.
"""

from __future__ import annotations

import asyncio
import signal

import asyncpg
import httpx

from tests import factories as f
from tests.conftest import Servers
from tests.databases import poll_rows
from tests.processes import Service, api_key

TRANSCRIPT = (
    "Agent: Good morning, thank you for calling, my name is Sam, how can I help? "
    "Customer: Hi, I'm jane.doe@example.com and my card 4111 1111 1111 1111 was charged twice. "
    "Agent: I'm sorry to hear that, I understand how frustrating that is. "
    "Agent: I've refunded the duplicate charge. To summarise, the refund takes 3 to 5 days. "
    "Is there anything else I can help with today?"
)


async def _poll(url: str, query: str, *args: object) -> list[asyncpg.Record]:
    return await poll_rows(url, query, *args, wait_s=60.0)


async def test_interaction_flows_to_kpi_and_coaching_action(
    services: dict[str, Service], servers: Servers
) -> None:
    event = f.interaction(
        agent="agent-e2e",
        team="team-e2e",
        queue="billing-e2e",
        wait=12,
        transcript=TRANSCRIPT,
        customer={"customer_id": "CUST-4242", "email": "jane.doe@example.com"},
    )
    key = await api_key(servers.database_url, source="/acd/e2e")
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=services["ingest"].url, headers=headers) as http:
        response = await http.post("/v1/interactions", json=event)
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "accepted"

    kpi = await _poll(
        servers.database_url, "SELECT * FROM reporting.kpi_15min WHERE queue = $1", "billing-e2e"
    )
    assert kpi[0]["offered"] == 1 and kpi[0]["answered"] == 1
    assert kpi[0]["service_level_pct"] == 100  # 12 s wait, voice threshold 20 s
    assert kpi[0]["critical_fails"] == 1

    actions = await _poll(
        servers.database_url, "SELECT * FROM reporting.actions WHERE scope_id = $1", "agent-e2e"
    )
    assert len(actions) == 1
    action = actions[0]
    assert action["kind"] == "coaching" and action["rule_id"] == "critical-breach"
    assert action["status"] == "raised" and action["owner"] == "team-leader:team-e2e"

    conn = await asyncpg.connect(servers.database_url)
    try:
        source = await conn.fetchval(
            "SELECT count(*) FROM actions.actions WHERE scope_id = 'agent-e2e'"
        )
        assert source == 1
        dump = await conn.fetchval("SELECT string_agg(payload::text, ' ') FROM reporting.actions")
    finally:
        await conn.close()
    for secret in ("CUST-4242", "jane.doe", "4111"):
        assert secret not in dump

    # Sending the same event again (a client retry) is accepted and changes nothing.
    async with httpx.AsyncClient(base_url=services["ingest"].url, headers=headers) as http:
        again = await http.post("/v1/interactions", json=event)
    assert again.status_code == 202
    await asyncio.sleep(3)
    kpi_after = await _poll(
        servers.database_url,
        "SELECT offered FROM reporting.kpi_15min WHERE queue = $1",
        "billing-e2e",
    )
    assert kpi_after[0]["offered"] == 1


def test_services_stop_cleanly_on_sigterm(services: dict[str, Service]) -> None:
    codes = {name: s.stop(signal.SIGTERM) for name, s in services.items()}
    assert codes == dict.fromkeys(services, 0), {n: services[n].tail() for n in codes}
