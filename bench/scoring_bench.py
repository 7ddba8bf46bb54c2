"""Scoring throughput (events/s, one process) and memory on this machine.

    make bench-scoring     (or: .venv/bin/python -m bench.scoring_bench --events 50000)

Pre-publishes canonical interaction events (600-character transcripts, so AutoQA runs), starts
one scoring process and measures how fast scored events appear; reports RSS at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import time
import uuid

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from bench.ingest_bench import TRANSCRIPT
from contracts import topics
from contracts.inbound import inbound_adapter
from runtime.kafka import ensure_topics
from runtime.kafka_security import client_options
from services.ingest.domain.canonicalise import canonicalise, route
from services.ingest.domain.pseudonymise import Pseudonymiser
from tests import factories as f
from tests.processes import Service, free_port


async def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--events", type=int, default=50_000)
    args = p.parse_args()
    bootstrap, db = os.environ["KAFKA_BOOTSTRAP_SERVERS"], os.environ["DATABASE_URL"]
    marker = f"scorebench-{uuid.uuid4().hex[:6]}"
    pseudo = Pseudonymiser("bench", b"bench")
    await ensure_topics(bootstrap, topics.ALL)
    producer = AIOKafkaProducer(
        **client_options(bootstrap), acks="all", linger_ms=5, max_batch_size=256 * 1024
    )
    await producer.start()
    futures = []
    for n in range(args.events):
        raw = f.interaction(queue=marker, agent=f"agent-{n % 200}", transcript=TRANSCRIPT[:600])
        event = canonicalise(inbound_adapter.validate_python(raw), "/bench", pseudo)
        topic, key = route(event)
        futures.append(await producer.send(topic.name, event.model_dump_json().encode(), key=key))
    await asyncio.gather(*futures)
    await producer.stop()

    consumer = AIOKafkaConsumer(**client_options(bootstrap), enable_auto_commit=False)
    await consumer.start()
    parts = [TopicPartition(topics.SCORES.name, n) for n in range(topics.SCORES.partitions)]
    start = await consumer.end_offsets(parts)
    consumer.assign(parts)
    for tp, off in start.items():
        consumer.seek(tp, off)

    svc = Service(
        "scoring",
        free_port(),
        {"KAFKA_BOOTSTRAP_SERVERS": bootstrap, "DATABASE_URL": db, "LOG_LEVEL": "WARNING"},
    )
    svc.start()
    try:
        await asyncio.to_thread(svc.wait_ready)
        t0 = time.perf_counter()
        seen = total = 0
        while seen < args.events and time.perf_counter() - t0 < 900:
            for records in (await consumer.getmany(timeout_ms=1000, max_records=10_000)).values():
                total += len(records)
                seen += sum(1 for r in records if marker.encode() in r.value)
        elapsed = time.perf_counter() - t0
        assert svc.proc is not None
        ps = ["ps", "-o", "rss=", "-p", str(svc.proc.pid)]
        rss = int(await asyncio.to_thread(subprocess.check_output, ps))
    finally:
        svc.stop()
        await consumer.stop()
    print(
        f"scoring, one process: {total} events scored in {elapsed:.1f}s = "
        f"{total / elapsed:,.0f} events/s ({seen} of the {args.events} bench events; "
        f"AutoQA on 600-char transcripts, monitoring plans on); RSS {rss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    asyncio.run(main())
