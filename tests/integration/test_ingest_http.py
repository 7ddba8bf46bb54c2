"""Ingest's HTTP API on the real broker: every family accepted; batches answer per item;
every client mistake is a 4xx naming the field; keys authenticate and authorise; nothing
personal reaches a canonical topic."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer

from contracts import topics
from services.ingest.app import build
from services.ingest.settings import IngestSettings
from services.ingest.store import revoke_key
from tests import factories as f
from tests.conftest import Servers
from tests.processes import api_key
from tests.topic_reader import end_offsets, read_from

PII = {
    "customer_id": "CUST-PII-778899",
    "email": "pii.person@example.org",
    "phone": "07700 900777",
    "card": "4111 1111 1111 1111",
    "nino": "QQ 12 34 56 C",
    "postcode": "SW1A 2AA",
}
TEXT = (
    f"My email is {PII['email']}, phone {PII['phone']}, card {PII['card']}, "
    f"NI {PII['nino']}, I live at {PII['postcode']}."
)


@pytest.fixture(scope="module")
async def client(servers: Servers) -> AsyncIterator[httpx.AsyncClient]:
    app = build(
        IngestSettings(
            kafka_bootstrap_servers=servers.kafka,
            database_url=servers.database_url,
            max_batch_events=50,
            max_body_bytes=256 * 1024,
            key_cache_ttl_s=0.5,
        )
    )
    async with app.router.lifespan_context(app):
        key = await api_key(servers.database_url, source="/test/all")
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport,
            base_url="http://ingest",
            headers={"Authorization": f"Bearer {key}"},
        ) as http:
            http.app = app  # type: ignore[attr-defined]
            yield http


def pii_customer() -> dict[str, str]:
    return {"customer_id": PII["customer_id"], "email": PII["email"], "phone": PII["phone"]}


FAMILIES = {
    "interactions": lambda: f.interaction(transcript=TEXT, customer=pii_customer()),
    "evaluations": lambda: f.evaluation(),
    "surveys": lambda: f.survey(verbatim=TEXT, customer=pii_customer()),
    "complaints": lambda: f.complaint(description=TEXT, customer=pii_customer()),
}


@pytest.mark.parametrize("family", sorted(FAMILIES))
async def test_each_family_is_accepted(client: httpx.AsyncClient, family: str) -> None:
    event = FAMILIES[family]()
    response = await client.post(f"/v1/{family}", json=event)
    assert response.status_code == 202, response.text
    assert response.json() == {
        "id": event["id"],
        "status": "accepted",
        "topic": response.json()["topic"],
    }


async def test_batch_answers_per_item(client: httpx.AsyncClient) -> None:
    bad = f.interaction()
    del bad["data"]["queue"]
    items = [f.interaction(), bad, f.survey(), {"nonsense": True}, f.complaint()]
    response = await client.post("/v1/events/batch", json=items)
    assert response.status_code == 200
    body = response.json()
    assert body["accepted"] == 3 and body["rejected"] == 2
    statuses = [r["status"] for r in body["results"]]
    assert statuses == ["accepted", "rejected", "accepted", "rejected", "accepted"]
    assert body["results"][1]["errors"] == [{"field": "data.queue", "reason": "Field required"}]
    assert body["results"][3]["errors"][0]["field"] == "type"


async def post_raw(
    client: httpx.AsyncClient, path: str, content: bytes, headers: dict[str, str] | None = None
) -> httpx.Response:
    return await client.post(
        path, content=content, headers={"content-type": "application/json", **(headers or {})}
    )


@pytest.mark.parametrize(
    ("path", "body", "status", "field"),
    [
        ("/v1/events", b"{not json", 400, "(body)"),
        ("/v1/events", b"[]", 422, "(body)"),
        (
            "/v1/events",
            json.dumps(f.interaction() | {"type": "io.qualityloop.nope"}).encode(),
            422,
            "type",
        ),
        ("/v1/events", json.dumps({**f.interaction(), "time": "yesterday"}).encode(), 422, "time"),
        ("/v1/surveys", json.dumps(f.interaction()).encode(), 422, "type"),
        ("/v1/unknown-family", json.dumps(f.interaction()).encode(), 422, "path.family"),
        ("/v1/events/batch", b"{}", 422, "(body)"),
        ("/v1/events/batch", b"[]", 422, "(body)"),
        ("/v1/events/batch", json.dumps([f.survey()] * 51).encode(), 422, "(body)"),
        ("/v1/events", b"x" * (300 * 1024), 413, "(body)"),
    ],
)
async def test_client_mistakes_are_4xx_naming_the_field(
    client: httpx.AsyncClient, path: str, body: bytes, status: int, field: str
) -> None:
    response = await post_raw(client, path, body)
    assert response.status_code == status, response.text
    errors = response.json()["errors"]
    assert errors and errors[0]["field"] == field and errors[0]["reason"]


async def test_wrong_method_and_unknown_path_are_4xx(client: httpx.AsyncClient) -> None:
    assert (await client.get("/v1/events")).status_code == 405
    response = await client.get("/nowhere")
    assert response.status_code == 404 and response.json()["errors"]


async def test_missing_or_bad_key_is_401(client: httpx.AsyncClient) -> None:
    event = json.dumps(f.interaction()).encode()
    for headers in (
        {"Authorization": ""},
        {"Authorization": "Bearer qlk_000000000000.nope-nope-nope-nope-nope"},
        {"Authorization": "Basic abc"},
    ):
        response = await post_raw(client, "/v1/events", event, headers)
        assert response.status_code == 401
        assert response.json()["errors"][0]["field"] == "(auth)"


async def test_key_limited_to_types_is_403_and_revocation_applies(
    client: httpx.AsyncClient, servers: Servers
) -> None:
    key = await api_key(servers.database_url, source="/surveys-only", types="survey.responded")
    headers = {"Authorization": "", "X-API-Key": key}
    await asyncio.sleep(1.1)  # unknown key ids reload the key cache at most once a second
    denied = await post_raw(client, "/v1/events", json.dumps(f.interaction()).encode(), headers)
    assert denied.status_code == 403 and denied.json()["errors"][0]["field"] == "type"
    allowed = await post_raw(client, "/v1/events", json.dumps(f.survey()).encode(), headers)
    assert allowed.status_code == 202
    mixed = await post_raw(
        client, "/v1/events/batch", json.dumps([f.survey(), f.complaint()]).encode(), headers
    )
    assert [r["status"] for r in mixed.json()["results"]] == ["accepted", "rejected"]

    pool = client.app.state.pool  # type: ignore[attr-defined]
    assert await revoke_key(pool, key[4:16])
    await asyncio.sleep(0.6)  # the key cache's TTL in this test
    gone = await post_raw(client, "/v1/events", json.dumps(f.survey()).encode(), headers)
    assert gone.status_code == 401


async def test_source_is_the_authenticated_system(
    client: httpx.AsyncClient, servers: Servers
) -> None:
    start = await end_offsets(servers.kafka, topics.SURVEYS.name)
    marker = uuid.uuid4().hex
    event = f.survey(verbatim=f"marker {marker}") | {"source": "/pretending/to-be-someone"}
    assert (await client.post("/v1/surveys", json=event)).status_code == 202
    [record] = await read_from(servers.kafka, start, 1, marker)
    assert json.loads(record.value)["source"] == "/test/all"


async def test_no_personal_data_on_any_canonical_topic(
    client: httpx.AsyncClient, servers: Servers
) -> None:
    """Feed PII-laden events of every family, then scan every canonical topic end to end."""
    events = [build_() for build_ in FAMILIES.values() for _ in range(3)]
    starts = {}
    for topic in topics.CANONICAL:
        starts |= await end_offsets(servers.kafka, topic.name)
    response = await client.post("/v1/events/batch", json=events)
    assert response.json()["accepted"] == len(events)
    ids = {e["id"] for e in events}
    consumer = AIOKafkaConsumer(bootstrap_servers=servers.kafka, enable_auto_commit=False)
    await consumer.start()
    consumer.assign(list(starts))
    for tp, offset in starts.items():
        consumer.seek(tp, offset)
    seen: list[Any] = []
    found: set[str] = set()
    try:
        for _ in range(120):
            batches = await consumer.getmany(timeout_ms=500)
            for records in batches.values():
                seen += records
                found |= {json.loads(r.value)["id"] for r in records} & ids
            if found == ids and not batches:
                break
    finally:
        await consumer.stop()
    assert found == ids, "every event fed must be on a canonical topic"
    needles = [v.encode() for v in PII.values()] + [
        PII["phone"].replace(" ", "").encode(),
        b"4111111111111111",
        b"QQ123456C",
    ]
    ours = [r for r in seen if json.loads(r.value)["id"] in ids]
    leaks = [(r.topic, n) for r in ours for n in needles if n in (r.value or b"")]
    assert not leaks, f"personal data on canonical topics: {leaks[:5]}"
