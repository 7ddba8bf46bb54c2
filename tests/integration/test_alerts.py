"""Alerts through the real broker and Postgres: an understaffed interval is one alert (not a
storm), delivered to a webhook that fails its first attempts, signed, with a delivery log and
the live SSE stream; a complaint spike raises an alert and a root-cause improvement action."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import httpx
import pytest
import uvicorn
from aiokafka import AIOKafkaProducer

from contracts import topics
from contracts.events import ComplaintScoredEvent
from services.actions.app import build
from services.actions.settings import ActionsSettings
from tests import factories as f
from tests.conftest import Servers
from tests.fakes_actions import complaint_scored
from tests.kafka_helpers import skip_backlog
from tests.processes import free_port, ops_headers
from tests.scored_events import scored_event

SECRET = "test-webhook-secret"


class Receiver(BaseHTTPRequestHandler):
    calls: ClassVar[list[tuple[int, bytes, str]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["content-length"]))
        attempt = len(Receiver.calls) + 1
        status = 503 if attempt <= 2 else 200  # fail the first two attempts
        Receiver.calls.append((status, body, self.headers["x-qualityloop-signature"]))
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def receiver() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook"
    server.shutdown()


@pytest.fixture(scope="module")
async def app(servers: Servers, receiver: str) -> AsyncIterator[Any]:
    await skip_backlog(servers.kafka, "qualityloop-actions", [topics.SCORES.name])
    application = build(
        ActionsSettings(
            kafka_bootstrap_servers=servers.kafka,
            database_url=servers.database_url,
            batch_timeout_ms=50,
            sweep_interval_s=0.2,
            alert_min_offered=10,
            alert_webhooks=(receiver,),
            webhook_secret=SECRET,
            webhook_backoff_s=0.1,
        )
    )
    async with application.router.lifespan_context(application):
        yield application


async def send(servers: Servers, events: list[Any], key: str) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=servers.kafka, acks="all")
    await producer.start()
    try:
        for e in events:
            await producer.send(topics.SCORES.name, e.model_dump_json().encode(), key=key.encode())
        await producer.flush()
    finally:
        await producer.stop()


async def poll(pool: Any, query: str, *args: Any, want: int = 1) -> list[Any]:
    rows: list[Any] = []
    for _ in range(120):
        rows = await pool.fetch(query, *args)
        if len(rows) >= want:
            return rows
        await asyncio.sleep(0.25)
    return rows


async def test_understaffed_interval_is_one_alert_delivered_signed_and_streamed(
    app: Any, servers: Servers
) -> None:
    queue = f"q-{uuid.uuid4().hex[:6]}"
    at = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    # 60 contacts waiting 90 s (voice threshold 20 s): service level 0 % in one interval.
    events = [
        scored_event(f.interaction(queue=queue, wait=90, offered=at + timedelta(seconds=n)))
        for n in range(60)
    ]
    events = [
        e.model_copy(
            update={
                "data": e.data.model_copy(
                    update={
                        "operational": e.data.operational.model_copy(
                            update={"sl_target_percent": 80.0, "abandonment_target_percent": 5.0}
                        )
                    }
                )
            }
        )
        for e in events
    ]

    # A real HTTP server (the app's lifespan already runs): ASGITransport buffers responses.
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_config=None)
    )
    serving = asyncio.create_task(server.serve())
    for _ in range(200):
        if server.started:
            break
        await asyncio.sleep(0.05)
    headers = await ops_headers(servers.database_url)
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", timeout=30, headers=headers
    ) as http:

        async def first_streamed_alert() -> dict[str, Any]:
            async with http.stream("GET", "/v1/alerts/stream", params={"poll_s": 0.2}) as resp:
                assert resp.headers["content-type"].startswith("text/event-stream")
                async for line in resp.aiter_lines():
                    if line.startswith("data: ") and queue in line:
                        return json.loads(line[6:])
            raise AssertionError("stream ended")

        streamed = asyncio.create_task(first_streamed_alert())
        await asyncio.sleep(0.5)
        # The same caller may hold 3 streams (ALERT_STREAMS_PER_CALLER): a 4th is a 429.
        async with (
            http.stream("GET", "/v1/alerts/stream") as s2,
            http.stream("GET", "/v1/alerts/stream") as s3,
        ):
            assert (s2.status_code, s3.status_code) == (200, 200)
            async with http.stream("GET", "/v1/alerts/stream") as s4:
                assert s4.status_code == 429 and s4.headers["retry-after"] == "30"
        await asyncio.sleep(0.5)  # the two left: their slots are free again
        async with http.stream("GET", "/v1/alerts/stream") as again:
            assert again.status_code == 200
        await send(servers, events[:30], queue)
        await send(servers, events[30:], queue)
        alert = await asyncio.wait_for(streamed, 30)
    server.should_exit = True
    await serving
    assert alert["kind"] == "service_level" and alert["scope"]["id"] == queue

    pool = app.state.pool
    rows = await pool.fetch("SELECT * FROM actions.alerts WHERE scope_id = $1", queue)
    assert len(rows) == 1, "one incident, one alert — not one per contact"
    assert rows[0]["kind"] == "service_level" and rows[0]["occurrences"] >= 1
    delivered = await poll(
        pool,
        "SELECT * FROM actions.deliveries WHERE alert_id = $1 AND delivered_at IS NOT NULL",
        rows[0]["alert_id"],
    )
    assert delivered and delivered[0]["attempts"] == 3
    log = await pool.fetch(
        "SELECT status_code FROM actions.delivery_log WHERE delivery_id = $1 ORDER BY attempt",
        delivered[0]["delivery_id"],
    )
    assert [r["status_code"] for r in log] == [503, 503, 200]
    ours = [(s, b, sig) for s, b, sig in Receiver.calls if queue.encode() in b]
    assert len(ours) == 3
    for _, body, sig in ours:
        assert sig == "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


async def test_complaint_spike_raises_alert_and_root_cause_action(
    app: Any, servers: Servers
) -> None:
    category = f"billing-error-{uuid.uuid4().hex[:6]}"
    today = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)

    def complaint(at: datetime) -> ComplaintScoredEvent:
        return complaint_scored(category, at)

    history = [complaint(today - timedelta(days=d)) for d in range(1, 8)]  # one a day
    await send(servers, history, category)
    await send(servers, [complaint(today + timedelta(minutes=n)) for n in range(12)], category)
    pool = app.state.pool
    alerts = await poll(pool, "SELECT * FROM actions.alerts WHERE scope_id = $1", category)
    assert [a["kind"] for a in alerts] == ["complaint_spike"]
    actions = await poll(pool, "SELECT * FROM actions.actions WHERE scope_id = $1", category)
    assert [(a["kind"], a["scope_type"], a["rule_id"]) for a in actions] == [
        ("improvement", "complaint_category", "complaint-spike")
    ]
    assert json.loads(actions[0]["payload"])["root_cause"]
