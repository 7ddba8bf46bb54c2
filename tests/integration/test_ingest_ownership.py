"""Source ownership of event ids and per-source raw topics, on the real broker and Postgres.

An id first reported by one source is never replaced by another source's key: 409 for one
event, `rejected` per item in a batch, a `source_conflict` dead letter on a raw topic; the
owner may always resend (also when its claim committed but its publish failed). A record on
`raw.<family>.<slug>` gets the slug's source whatever it claims, or is dead-lettered
`source_mismatch` when it claims another."""

from __future__ import annotations

import asyncio
import csv
import json
import os
import random
import sys
import uuid
from asyncio.subprocess import PIPE
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from aiokafka import AIOKafkaProducer

from contracts import topics
from runtime.kafka import ensure_topics
from services.ingest.app import build
from services.ingest.settings import IngestSettings
from services.ingest.store import claim_ids
from tests import factories as f
from tests.conftest import Servers
from tests.kafka_helpers import skip_backlog
from tests.processes import ROOT, api_key
from tests.topic_reader import end_offsets, read_from

OWNER, OTHER, SLUG_SOURCE = "/own/acd-a", "/own/crm-b", "/acd/owntest"
SETTINGS = {"raw_sources": {"owntest": SLUG_SOURCE}, "batch_timeout_ms": 50}


class Intake:
    def __init__(self, app: Any, keys: dict[str, str]) -> None:
        self.app, self.keys = app, keys

    async def post(self, source: str, path: str, body: Any, **headers: str) -> httpx.Response:
        transport = httpx.ASGITransport(app=self.app)
        auth = {"Authorization": f"Bearer {self.keys[source]}"}
        async with httpx.AsyncClient(transport=transport, base_url="http://ingest") as http:
            if isinstance(body, bytes):
                return await http.post(path, content=body, headers=auth | headers)
            return await http.post(path, json=body, headers=auth | headers)


@pytest.fixture(scope="module")
async def intake(servers: Servers) -> AsyncIterator[Intake]:
    settings = IngestSettings(
        kafka_bootstrap_servers=servers.kafka, database_url=servers.database_url, **SETTINGS
    )
    await ensure_topics(servers.kafka, settings.raw_topics.per_source())
    await skip_backlog(servers.kafka, "qualityloop-ingest-raw", settings.raw_topics.names())
    app = build(settings)
    async with app.router.lifespan_context(app):
        keys = {s: await api_key(servers.database_url, source=s) for s in (OWNER, OTHER)}
        yield Intake(app, keys)


def event(marker: str, tag: str, event_id: str | None = None) -> dict[str, Any]:
    return f.interaction(queue=f"q{marker}-{tag}", event_id=event_id)


async def published(servers: Servers, start: Any, marker: str, at_most: int) -> list[Any]:
    """Everything with `marker` on ql.interactions since `start` (waits for `at_most + 1`)."""
    found = await read_from(servers.kafka, start, at_most + 1, marker, wait_s=4)
    return [json.loads(r.value) for r in found]


async def test_another_sources_id_is_409_and_its_owner_may_resend(
    intake: Intake, servers: Servers
) -> None:
    marker = uuid.uuid4().hex[:10]
    start = await end_offsets(servers.kafka, topics.INTERACTIONS.name)
    mine = event(marker, "owner")
    assert (await intake.post(OWNER, "/v1/events", mine)).status_code == 202

    theirs = event(marker, "other", mine["id"])
    refused = await intake.post(OTHER, "/v1/interactions", theirs)
    assert refused.status_code == 409, refused.text
    reason = f"event id {mine['id']!r} belongs to another source"
    assert refused.json() == {"errors": [{"field": "id", "reason": reason}]}
    assert OWNER not in refused.text
    # Binary content mode: the same refusal.
    attributes = {f"ce-{k}": str(v) for k, v in theirs.items() if k != "data"}
    attributes["content-type"] = "application/json"
    binary = await intake.post(
        OTHER, "/v1/events", json.dumps(theirs["data"]).encode(), **attributes
    )
    assert binary.status_code == 409, binary.text

    resend = event(marker, "owner", mine["id"])  # the owner's correction of its own fact
    assert (await intake.post(OWNER, "/v1/events", resend)).status_code == 202
    assert (await intake.post(OWNER, "/v1/events", mine)).status_code == 202

    out = await published(servers, start, marker, 3)
    assert len(out) == 3
    assert {e["id"] for e in out} == {mine["id"]} and {e["source"] for e in out} == {OWNER}
    assert all(e["data"]["queue"] == f"q{marker}-owner" for e in out)


async def test_batch_items_with_another_sources_ids_are_rejected_alone(
    intake: Intake, servers: Servers
) -> None:
    marker = uuid.uuid4().hex[:10]
    start = await end_offsets(servers.kafka, topics.INTERACTIONS.name)
    owned = event(marker, "owner")
    assert (await intake.post(OWNER, "/v1/events", owned)).status_code == 202

    new = event(marker, "other")
    items = [event(marker, "other", owned["id"]), new, new, event(marker, "other", owned["id"])]
    response = await intake.post(OTHER, "/v1/events/batch", items)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["accepted"], body["rejected"], body["duplicates"]) == (1, 2, 1)
    assert [r["status"] for r in body["results"]] == [
        "rejected",
        "accepted",
        "duplicate",
        "rejected",
    ]
    reason = f"event id {owned['id']!r} belongs to another source"
    assert body["results"][0]["errors"] == [{"field": "id", "reason": reason}]
    assert OWNER not in response.text

    # CloudEvents batch content mode, the other way round: `new` is OTHER's now.
    content = json.dumps([event(marker, "owner", new["id"]), event(marker, "owner")]).encode()
    ce_batch = {"content-type": "application/cloudevents-batch+json"}
    response = await intake.post(OWNER, "/v1/events", content, **ce_batch)
    assert [r["status"] for r in response.json()["results"]] == ["rejected", "accepted"]

    out = await published(servers, start, marker, 3)
    assert sorted((e["source"], e["data"]["queue"][-5:]) for e in out) == sorted(
        [(OTHER, "other"), (OWNER, "owner"), (OWNER, "owner")]
    )


async def test_a_claim_whose_publish_failed_stays_with_its_source(
    intake: Intake, servers: Servers
) -> None:
    """The claim commits before the publish; when Kafka then fails (503), the id is already
    the source's: its retry is accepted, and nobody else can take the id meanwhile."""
    lost = event(uuid.uuid4().hex[:10], "owner")
    pool: asyncpg.Pool = intake.app.state.pool
    assert await claim_ids(pool, {lost["id"]: OWNER}) == {}  # claimed, never published
    assert (await intake.post(OTHER, "/v1/events", lost)).status_code == 409
    assert (await intake.post(OWNER, "/v1/events", lost)).status_code == 202


async def test_a_per_source_topic_records_its_source_and_refuses_other_claims(
    intake: Intake, servers: Servers
) -> None:
    marker = uuid.uuid4().hex[:10]
    canon = await end_offsets(servers.kafka, topics.INTERACTIONS.name)
    dlq = await end_offsets(servers.kafka, topics.DEADLETTER.name)
    unsigned = event(marker, "slug") | {"source": None}
    signed = event(marker, "slug") | {"source": SLUG_SOURCE}
    lying = event(marker, "liar") | {"source": OWNER}
    await produce(servers, "raw.interactions.owntest", [unsigned, signed, lying], marker)

    out = await published(servers, canon, marker, 2)
    assert sorted(e["id"] for e in out) == sorted([unsigned["id"], signed["id"]])
    assert {e["source"] for e in out} == {SLUG_SOURCE}

    # The per-source topic's source owns those ids now: neither a claim on the shared topic nor
    # another source's key can replace them.
    stolen = event(marker, "thief", unsigned["id"]) | {"source": OTHER}
    await produce(servers, topics.RAW_INTERACTIONS.name, [stolen], marker)
    assert (await intake.post(OTHER, "/v1/events", stolen)).status_code == 409

    letters = await read_from(servers.kafka, dlq, 2, marker, wait_s=30)
    reasons = sorted(dict(r.headers)["dlq_reason"].decode() for r in letters)
    assert len(reasons) == 2, reasons
    assert reasons[0].startswith("source_conflict") and reasons[1].startswith("source_mismatch")
    fields = {
        dict(r.headers)["dlq_source_topic"].decode(): json.loads(dict(r.headers)["dlq_errors"])
        for r in letters
    }
    assert fields["raw.interactions.owntest"][0]["field"] == "source"
    assert fields[topics.RAW_INTERACTIONS.name][0]["field"] == "id"
    assert OTHER not in reasons[0] and SLUG_SOURCE not in reasons[0]
    assert len(await published(servers, canon, marker, 2)) == 2  # nothing more was published


async def produce(servers: Servers, topic: str, events: list[dict[str, Any]], marker: str) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=servers.kafka, acks="all")
    await producer.start()
    try:
        for e in events:
            value = json.dumps({k: v for k, v in e.items() if v is not None}).encode()
            await producer.send_and_wait(topic, value, headers=[("m", marker.encode())])
    finally:
        await producer.stop()


async def test_concurrent_claims_of_the_same_ids_give_each_id_one_owner(
    intake: Intake,
) -> None:
    pool: asyncpg.Pool = intake.app.state.pool
    for _ in range(10):
        ids = [f"race-{uuid.uuid4().hex}" for _ in range(300)]
        mine, theirs = ids[:200], ids[100:]
        random.shuffle(theirs)
        a, b = await asyncio.gather(
            claim_ids(pool, dict.fromkeys(mine, OWNER)),
            claim_ids(pool, dict.fromkeys(theirs, OTHER)),
        )
        rows = await pool.fetch(
            "SELECT event_id, source FROM ingest.event_owners WHERE event_id = ANY($1)", ids
        )
        owners = {r["event_id"]: r["source"] for r in rows}
        assert set(owners) == set(ids)
        for event_id in ids:  # whoever lost a shared id was told who holds it
            won_a = event_id in mine and event_id not in a
            won_b = event_id in theirs and event_id not in b
            assert won_a + won_b == 1, event_id
            assert owners[event_id] == (OWNER if won_a else OTHER)
        assert set(a.values()) <= {OTHER} and set(b.values()) <= {OWNER}


async def test_backfill_refuses_rows_whose_ids_another_source_owns(
    intake: Intake, servers: Servers, tmp_path: Path
) -> None:
    marker = uuid.uuid4().hex[:10]
    start = await end_offsets(servers.kafka, topics.INTERACTIONS.name)
    taken = f"taken-{marker}"
    assert await claim_ids(intake.app.state.pool, {taken: OTHER}) == {}
    rows = []
    for n, event_id in enumerate([taken, f"free-{marker}"]):
        data = event(marker, "backfill")["data"]
        rows.append(
            {k: v for k, v in data.items() if v is not None}
            | {"event_id": event_id, "interaction_id": f"bf-{marker}-{n}"}
        )
    export = tmp_path / "calls.jsonl"
    export.write_text("".join(json.dumps(r) + "\n" for r in rows))
    env = os.environ | {
        "KAFKA_BOOTSTRAP_SERVERS": servers.kafka,
        "DATABASE_URL": servers.database_url,
    }
    args = ["backfill", str(export), "--type", "interaction.completed", "--source", OWNER]
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "services.ingest", *args, cwd=ROOT, env=env, stderr=PIPE
    )
    _, err = await proc.communicate()
    assert proc.returncode == 0, err.decode()
    assert "1 accepted, 1 rejected" in err.decode()
    rejects = list(csv.DictReader((tmp_path / "calls.jsonl.rejects.csv").open()))
    reason = f"event id {taken!r} belongs to another source"
    assert rejects == [{"row": "1", "field": "id", "reason": reason}]
    out = await published(servers, start, marker, 1)
    assert [(e["id"], e["source"]) for e in out] == [(f"free-{marker}", OWNER)]
