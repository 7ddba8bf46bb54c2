"""CloudEvents conformance, with a client this project did not write: the official `cloudevents`
SDK sends to a real ingest process over HTTP (binary, structured and batch content modes) and
Kafka (binary and structured modes on raw.interactions); each canonical event arrives on
ql.interactions with its id, source and data, customer identifiers pseudonymised. Also the
boundary regressions of issue 11: deep nesting, NUL and lone surrogates, duplicate ids in a
batch, an oversized event: each a 4xx naming the field, never a 500."""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from cloudevents import kafka as ce_kafka
from cloudevents.conversion import to_binary, to_json, to_structured
from cloudevents.http import CloudEvent

from contracts import topics
from tests import factories as f
from tests.conftest import Servers
from tests.kafka_helpers import skip_backlog
from tests.processes import Service, api_key, free_port
from tests.topic_reader import end_offsets, read_from

SOURCE = "/test/sdk-client"
PHONE = "07700 900456"
TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


@pytest.fixture(scope="module")
def ingest(servers: Servers) -> Iterator[Service]:
    env = {"KAFKA_BOOTSTRAP_SERVERS": servers.kafka, "DATABASE_URL": servers.database_url}
    service = Service("ingest", free_port(), env | {"BATCH_TIMEOUT_MS": "50"})
    service.start()
    try:
        service.wait_ready()
        yield service
    finally:
        service.stop()


@pytest.fixture(scope="module")
async def http(ingest: Service, servers: Servers) -> AsyncIterator[httpx.AsyncClient]:
    # Only what this module sends (a busy shared group may refuse the commit: then it is current).
    with contextlib.suppress(KafkaError):
        await skip_backlog(servers.kafka, "qualityloop-ingest-raw", [t.name for t in topics.RAW])
    key = await api_key(servers.database_url, source=SOURCE)
    auth = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=ingest.url, headers=auth, timeout=30) as client:
        yield client


def sdk_event(marker: str, **attributes: Any) -> CloudEvent:
    raw = f.interaction(queue=f"q{marker}", customer={"phone": PHONE}, transcript=f"ring {PHONE}")
    envelope = {k: v for k, v in raw.items() if k not in ("data", "specversion")}
    return CloudEvent(envelope | attributes, raw["data"])


async def arrived(servers: Servers, start: Any, marker: str, want: int = 1) -> list[Any]:
    found = await read_from(servers.kafka, start, want, f"q{marker}")
    assert len(found) == want
    for record in found:
        assert PHONE.encode() not in record.value and b"900456" not in record.value
        canonical = json.loads(record.value)
        assert canonical["data"]["customer"]["key_id"] == "dev"  # pseudonymised
        assert canonical["data"]["queue"] == f"q{marker}"
    return found


async def test_http_binary_mode(http: httpx.AsyncClient, servers: Servers) -> None:
    marker = uuid.uuid4().hex
    start = await end_offsets(servers.kafka, topics.INTERACTIONS.name)
    event = sdk_event(marker, datacontenttype="application/json", subject="call/1", region="uk1")
    headers, body = to_binary(event)
    response = await http.post("/v1/events", headers=headers, content=body)
    assert response.status_code == 202, response.text
    [record] = await arrived(servers, start, marker)
    canonical = json.loads(record.value)
    assert canonical["id"] == event["id"] == response.json()["id"]
    assert canonical["source"] == SOURCE and canonical["subject"] == "call/1"
    assert "region" not in canonical  # extensions are dropped at ingest


async def test_http_structured_mode_with_optional_attributes(
    http: httpx.AsyncClient, servers: Servers
) -> None:
    marker = uuid.uuid4().hex
    start = await end_offsets(servers.kafka, topics.INTERACTIONS.name)
    extras = {
        "datacontenttype": "application/json",
        "dataschema": "https://acd.example/schemas/call-v3.json",
        "partitionkey": "agent-1",
        "traceparent": TRACE,
    }
    headers, body = to_structured(sdk_event(marker, **extras))
    assert headers["content-type"] == "application/cloudevents+json"
    response = await http.post("/v1/interactions", headers=headers, content=body)
    assert response.status_code == 202, response.text
    [record] = await arrived(servers, start, marker)
    canonical = json.loads(record.value)
    assert canonical["dataschema"].startswith("https://qualityloop.io/schemas/")
    assert "partitionkey" not in canonical
    assert dict(record.headers)["traceparent"].decode() == TRACE


async def test_http_batch_mode(http: httpx.AsyncClient, servers: Servers) -> None:
    marker = uuid.uuid4().hex
    start = await end_offsets(servers.kafka, topics.INTERACTIONS.name)
    events = [sdk_event(marker, myext=n) for n in range(3)]
    body = b"[" + b",".join(to_json(e) for e in events) + b"]"
    headers = {"content-type": "application/cloudevents-batch+json"}
    response = await http.post("/v1/interactions/batch", headers=headers, content=body)
    assert response.status_code == 200, response.text
    assert response.json()["accepted"] == 3
    found = await arrived(servers, start, marker, want=3)
    assert {json.loads(r.value)["id"] for r in found} == {e["id"] for e in events}


@pytest.mark.parametrize("convert", [ce_kafka.to_binary, ce_kafka.to_structured])
async def test_kafka_modes_on_raw_interactions(
    http: httpx.AsyncClient, servers: Servers, convert: Any
) -> None:
    marker = uuid.uuid4().hex
    start = await end_offsets(servers.kafka, topics.INTERACTIONS.name)
    event = sdk_event(marker, source="/acd/kafka", datacontenttype="application/json", tenant="t1")
    message = convert(event)
    producer = AIOKafkaProducer(bootstrap_servers=servers.kafka, acks="all")
    await producer.start()
    try:
        headers = list(message.headers.items())
        await producer.send_and_wait(topics.RAW_INTERACTIONS.name, message.value, headers=headers)
    finally:
        await producer.stop()
    [record] = await arrived(servers, start, marker)
    canonical = json.loads(record.value)
    assert canonical["id"] == event["id"] and canonical["source"] == "/acd/kafka"
    assert canonical["data"]["interaction_id"] == event.data["interaction_id"]


def hostile(description: str) -> bytes:
    """A complaint whose description is raw JSON text (e.g. the escape \\u0000)."""
    event = f.complaint(description="PLACEHOLDER")
    return json.dumps(event).replace('"PLACEHOLDER"', description).encode()


@pytest.mark.parametrize(
    ("path", "body", "status", "field"),
    [
        ("/v1/events", b"[" * 100_000 + b"]" * 100_000, 400, "(body)"),
        ("/v1/events/batch", b"[" * 100_000 + b"]" * 100_000, 400, "(body)"),
        ("/v1/events", b'{"a":' * 50 + b"1" + b"}" * 50, 422, "a.a.a.a.a"),
        ("/v1/events", hostile('"a\\u0000b"'), 422, "data.description"),
        ("/v1/complaints", hostile('"\\ud800"'), 422, "data.description"),
        ("/v1/events", hostile('"' + "\\u0001" * 100_000 + '"'), 413, "(event)"),
        ("/v1/events", json.dumps(f.survey() | {"Bad_Name": 1}).encode(), 422, "Bad_Name"),
    ],
)
async def test_boundaries_are_4xx_naming_the_field(
    http: httpx.AsyncClient, path: str, body: bytes, status: int, field: str
) -> None:
    response = await http.post(path, content=body, headers={"content-type": "application/json"})
    assert response.status_code == status, response.text
    assert response.json()["errors"][0]["field"].startswith(field)


async def test_batch_item_with_nul_is_rejected_alone(http: httpx.AsyncClient) -> None:
    body = b"[" + hostile('"a\\u0000b"') + b"," + json.dumps(f.complaint()).encode() + b"]"
    response = await http.post("/v1/complaints/batch", content=body)
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["rejected", "accepted"]
    assert results[0]["errors"][0]["field"] == "data.description"


async def test_the_same_id_twice_in_a_batch_is_published_once(
    http: httpx.AsyncClient, servers: Servers
) -> None:
    marker = uuid.uuid4().hex
    start = await end_offsets(servers.kafka, topics.SURVEYS.name)
    event = f.survey(verbatim=f"marker {marker}")
    response = await http.post("/v1/events/batch", json=[event, f.survey(), event])
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["accepted"], body["rejected"], body["duplicates"]) == (2, 0, 1)
    assert body["results"][2]["status"] == "duplicate" and body["results"][2]["id"] == event["id"]
    found = await read_from(servers.kafka, start, 2, marker, wait_s=5)
    assert len(found) == 1


async def test_binary_mode_on_a_batch_endpoint_is_415(http: httpx.AsyncClient) -> None:
    headers, body = to_binary(sdk_event("x", datacontenttype="application/json"))
    response = await http.post("/v1/events/batch", headers=headers, content=body)
    assert response.status_code == 415 and response.json()["errors"][0]["field"] == "content-type"
