"""Reporting throughput on this machine: projection (events/s into Postgres) and rebuild.

    make bench-reporting     (or: .venv/bin/python -m bench.reporting_bench --events 50000)

Scores N interactions in-process with the real standard (AutoQA on, so events carry
per-criterion results like production ones), then measures:
1. handler only: decode + project batches of 2,000 straight into Postgres (no Kafka);
2. the reporting process consuming them from ql.scores (a fresh database, the group set to
   the topic's end first), until Postgres says every record is applied; RSS at the end;
3. `python -m services.reporting rebuild` on that database: replay of the whole topic
   history (every event the broker holds on the projected topics) and the swap.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer, ConsumerRecord

from bench.ingest_bench import TRANSCRIPT
from contracts import topics
from contracts.inbound import inbound_adapter
from runtime.db import migrate
from runtime.kafka import ensure_topics
from runtime.kafka_security import client_options
from services.ingest.domain.canonicalise import canonicalise
from services.ingest.domain.pseudonymise import Pseudonymiser
from services.reporting.domain.reading import reporting_adapter
from services.reporting.names import CONSUMER, MIGRATIONS, TOPICS
from services.reporting.write.projector import project
from services.scoring.autoqa_model import shared_encoder
from services.scoring.pipeline import Scorer
from services.scoring.settings import DEFAULT_STANDARDS
from services.scoring.standards_files import load_standards
from tests import factories as f
from tests.kafka_helpers import end_offsets, skip_backlog
from tests.processes import Service, free_port

BATCH = 2000


def scored_events(n: int) -> list[Any]:
    scorer = Scorer(load_standards(DEFAULT_STANDARDS), "core-qa", embed=shared_encoder())
    pseudo = Pseudonymiser("bench", b"bench")
    out = []
    for i in range(n):
        raw = f.interaction(
            queue=f"queue-{i % 5}",
            agent=f"agent-{i % 200}",
            team=f"team-{i % 10}",
            transcript=TRANSCRIPT[:600],
            offered=f.T0 + timedelta(seconds=3 * i),
        )
        event = canonicalise(inbound_adapter.validate_python(raw), "/b", pseudo)
        out.append(scorer.score(event))  # type: ignore[arg-type]
    return out


async def fresh_database(admin_url: str) -> str:
    name = f"ql_bench_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(admin_url)
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    url = admin_url.rsplit("/", 1)[0] + "/" + name
    await migrate(MIGRATIONS, url, "reporting")
    return url


async def handler_only(url: str, payloads: list[bytes]) -> float:
    from runtime.consumer import decode_batch

    pool = await asyncpg.create_pool(url)
    t0 = time.perf_counter()
    decode = 0.0
    for start in range(0, len(payloads), BATCH):
        recs = [
            ConsumerRecord("bench", 0, start + k, 0, 0, b"", v, None, 0, 0, [])
            for k, v in enumerate(payloads[start : start + BATCH])
        ]
        d0 = time.perf_counter()
        claimables, _ = decode_batch(recs, reporting_adapter, "bench")
        decode += time.perf_counter() - d0
        async with pool.acquire() as conn, conn.transaction():
            await project(conn, claimables)
    elapsed = time.perf_counter() - t0
    await pool.close()
    print(
        f"1. handler only: {len(payloads):,} events in {elapsed:.1f} s = "
        f"{len(payloads) / elapsed:,.0f} events/s (decode {1e6 * decode / len(payloads):.0f} "
        f"µs/event, {100 * decode / elapsed:.0f}% of the time)"
    )
    return elapsed


async def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--events", type=int, default=50_000)
    args = p.parse_args()
    bootstrap, db = os.environ["KAFKA_BOOTSTRAP_SERVERS"], os.environ["DATABASE_URL"]
    await ensure_topics(bootstrap, topics.ALL)
    t0 = time.perf_counter()
    events = scored_events(args.events)
    payloads = [e.model_dump_json().encode() for e in events]
    size = sum(map(len, payloads)) / len(payloads)
    print(
        f"scored {len(events):,} interactions in {time.perf_counter() - t0:.1f} s "
        f"(mean event {size:,.0f} bytes)"
    )

    await handler_only(await fresh_database(db), payloads)

    url = await fresh_database(db)
    await skip_backlog(bootstrap, CONSUMER, TOPICS)
    producer = AIOKafkaProducer(
        **client_options(bootstrap), acks="all", linger_ms=5, max_batch_size=256 * 1024
    )
    await producer.start()
    futures = [
        await producer.send(topics.SCORES.name, v, key=e.data.interaction.agent_id.encode())
        for e, v in zip(events, payloads, strict=True)
    ]
    await asyncio.gather(*futures)
    await producer.stop()
    ends = await end_offsets(bootstrap, TOPICS)

    svc = Service(
        "reporting",
        free_port(),
        {"KAFKA_BOOTSTRAP_SERVERS": bootstrap, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"},
    )
    svc.start()
    pool = await asyncpg.create_pool(url)
    try:
        await asyncio.to_thread(svc.wait_ready)
        t1 = time.perf_counter()
        applied = 0
        while time.perf_counter() - t1 < 900:
            applied = await pool.fetchval("SELECT count(*) FROM reporting.interaction_facts") or 0
            if applied >= len(events):
                break
            await asyncio.sleep(0.2)
        elapsed = time.perf_counter() - t1
        assert svc.proc is not None
        ps = ["ps", "-o", "rss=", "-p", str(svc.proc.pid)]
        rss = int(await asyncio.to_thread(subprocess.check_output, ps))
        print(
            f"2. reporting process: {applied:,} events applied in {elapsed:.1f} s = "
            f"{applied / elapsed:,.0f} events/s; RSS {rss / 1024:.0f} MB"
        )
        print(f"   (topics held {sum(ends.values()):,} records in all)")
    finally:
        svc.stop()
        await pool.close()
    out = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "services.reporting", "rebuild"],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=True,
    )
    print("3. " + out.stdout.strip().splitlines()[0])


if __name__ == "__main__":
    asyncio.run(main())
