"""Ingest while its Kafka broker is stopped and restarted (a broker of the test's own): clients
get 503 with Retry-After, never 500; after the restart every accepted event is on the topic."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from aiokafka import AIOKafkaConsumer

from contracts import topics
from services.ingest.app import build
from services.ingest.settings import IngestSettings
from tests import factories as f
from tests.conftest import Servers
from tests.processes import ROOT, api_key, free_port

STACK = ROOT / "deploy" / "local" / "stack.sh"
# Free ports, not fixed ones: a fixed port taken by another broker on the machine would make
# "stop the broker" stop nothing and the test meaningless.
PORT, CONTROLLER_PORT = free_port(), free_port()
ENV = {
    **os.environ,
    "QL_HOME": str(ROOT / ".local" / "fault-kafka"),
    "QL_KAFKA_PORT": str(PORT),
    "QL_KAFKA_CONTROLLER_PORT": str(CONTROLLER_PORT),
}
BOOTSTRAP = f"127.0.0.1:{PORT}"


def stack(command: str) -> None:
    subprocess.run([str(STACK), command], check=True, env=ENV, capture_output=True)


@pytest.fixture(scope="module")
def own_broker() -> Iterator[str]:
    shutil.rmtree(ROOT / ".local" / "fault-kafka" / "data", ignore_errors=True)  # new ports
    stack("kafka-up")
    yield BOOTSTRAP
    stack("kafka-down")


@pytest.fixture
async def client(own_broker: str, servers: Servers) -> AsyncIterator[httpx.AsyncClient]:
    settings = IngestSettings(
        kafka_bootstrap_servers=own_broker,
        database_url=servers.database_url,
        publish_timeout_s=3,
        retry_after_s=2,
    )
    app = build(settings)
    async with app.router.lifespan_context(app):
        key = await api_key(servers.database_url, source="/test/outage")
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://i",
            headers={"Authorization": f"Bearer {key}"},
        ) as http:
            yield http


async def test_503_while_broker_down_and_nothing_accepted_is_lost(
    client: httpx.AsyncClient,
) -> None:
    accepted: list[str] = []
    for _ in range(10):
        event = f.interaction(queue="outage")
        assert (await client.post("/v1/interactions", json=event)).status_code == 202
        accepted.append(event["id"])

    await asyncio.to_thread(stack, "kafka-down")
    statuses = []
    for _ in range(3):
        event = f.interaction(queue="outage")
        response = await client.post("/v1/interactions", json=event)
        statuses.append(response.status_code)
        if response.status_code == 503:
            assert response.headers["Retry-After"] == "2"
            assert response.json()["errors"][0]["reason"]
        elif response.status_code == 202:  # a send that raced the shutdown
            accepted.append(event["id"])
    assert 503 in statuses and 500 not in statuses
    ready = await client.get("/ready")
    assert ready.status_code == 503

    await asyncio.to_thread(stack, "kafka-up")
    for _ in range(10):  # a client honouring Retry-After
        event = f.interaction(queue="outage")
        for _attempt in range(30):
            response = await client.post("/v1/interactions", json=event)
            if response.status_code == 202:
                accepted.append(event["id"])
                break
            assert response.status_code == 503
            await asyncio.sleep(1)
        else:
            pytest.fail("ingest did not recover after the broker restart")

    consumer = AIOKafkaConsumer(
        topics.INTERACTIONS.name,
        bootstrap_servers=BOOTSTRAP,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    found: set[str] = set()
    try:
        for _ in range(40):
            for records in (await consumer.getmany(timeout_ms=500)).values():
                found |= {json.loads(r.value)["id"] for r in records}
            if set(accepted) <= found:
                break
    finally:
        await consumer.stop()
    assert set(accepted) <= found, f"lost {len(set(accepted) - found)} accepted events"
