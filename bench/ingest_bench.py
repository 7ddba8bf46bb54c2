"""Ingest throughput on this machine: the HTTP batch endpoint and the raw-topic path.

    make bench-ingest            (or: .venv/bin/python -m bench.ingest_bench --events 100000)

Starts its own ingest process against the local stack (deploy/local/stack.sh), reports figures;
asserts nothing (benchmarks report, tests assert).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import time
import uuid

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from contracts import topics
from runtime.kafka_security import client_options
from tests import factories as f
from tests.processes import Service, api_key, free_port

TRANSCRIPT = (
    "Agent: Good morning, thank you for calling, my name is Sam. Can I confirm your "
    "date of birth for security? Customer: sure, it's on file, email me at "
    "someone@example.com. Agent: I'm sorry for the trouble, I've refunded it. To "
    "summarise, the refund takes 3 days. Anything else? "
) * 2


def events(n: int, queue: str) -> list[dict]:
    return [
        f.interaction(
            queue=queue,
            agent=f"agent-{i % 200}",
            transcript=TRANSCRIPT,
            customer={"customer_id": f"C{i}", "phone": "07700 900123"},
        )
        for i in range(n)
    ]


async def bench_http(url: str, key: str, total: int, batch: int, concurrency: int) -> None:
    queue = f"bench-{uuid.uuid4().hex[:6]}"
    payloads = [json.dumps(events(batch, queue)).encode() for _ in range(total // batch)]
    latencies: list[float] = []
    headers = {"Authorization": f"Bearer {key}", "content-type": "application/json"}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=60) as http:
        queue_ = asyncio.Queue()
        for p in payloads:
            queue_.put_nowait(p)

        async def worker() -> None:
            while not queue_.empty():
                body = queue_.get_nowait()
                t = time.perf_counter()
                r = await http.post("/v1/interactions/batch", content=body)
                latencies.append(time.perf_counter() - t)
                assert r.status_code == 200 and r.json()["accepted"] == batch, r.text[:200]

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - t0
    n = len(payloads) * batch
    q = statistics.quantiles(latencies, n=100)
    print(
        f"HTTP batch endpoint: {n} events in {elapsed:.1f}s = {n / elapsed:,.0f} events/s "
        f"(batches of {batch}, {concurrency} concurrent clients; per-batch latency "
        f"p50 {q[49] * 1000:.0f} ms, p99 {q[98] * 1000:.0f} ms)"
    )


async def bench_raw(bootstrap: str, total: int) -> None:
    marker = f"rawbench-{uuid.uuid4().hex[:6]}"
    consumer = AIOKafkaConsumer(**client_options(bootstrap), enable_auto_commit=False)
    await consumer.start()
    parts = [
        TopicPartition(topics.INTERACTIONS.name, p) for p in range(topics.INTERACTIONS.partitions)
    ]
    start = await consumer.end_offsets(parts)
    consumer.assign(parts)
    for tp, off in start.items():
        consumer.seek(tp, off)
    producer = AIOKafkaProducer(
        **client_options(bootstrap), acks="all", linger_ms=5, max_batch_size=256 * 1024
    )
    await producer.start()
    payloads = [json.dumps(e).encode() for e in events(total, marker)]
    t0 = time.perf_counter()
    futures = [await producer.send(topics.RAW_INTERACTIONS.name, p) for p in payloads]
    await asyncio.gather(*futures)
    produced = time.perf_counter() - t0
    await producer.stop()
    seen = 0
    while seen < total:
        for records in (await consumer.getmany(timeout_ms=1000, max_records=10_000)).values():
            seen += sum(1 for r in records if marker.encode() in r.value)
        if time.perf_counter() - t0 > 600:
            break
    elapsed = time.perf_counter() - t0
    await consumer.stop()
    print(
        f"raw-topic path: {seen}/{total} events canonicalised in {elapsed:.1f}s = "
        f"{seen / elapsed:,.0f} events/s end to end (producing them took {produced:.1f}s)"
    )


async def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--events", type=int, default=50_000)
    p.add_argument("--batch", type=int, default=1000)
    p.add_argument("--concurrency", type=int, default=4)
    args = p.parse_args()
    bootstrap, db = os.environ["KAFKA_BOOTSTRAP_SERVERS"], os.environ["DATABASE_URL"]
    key = await api_key(db, source="/bench")
    svc = Service(
        "ingest",
        free_port(),
        {"KAFKA_BOOTSTRAP_SERVERS": bootstrap, "DATABASE_URL": db, "LOG_LEVEL": "WARNING"},
    )
    svc.start()
    try:
        await asyncio.to_thread(svc.wait_ready)
        rss = lambda: int(subprocess.check_output(["ps", "-o", "rss=", "-p", str(svc.proc.pid)]))  # noqa: E731
        await bench_http(svc.url, key, args.events, args.batch, args.concurrency)
        await bench_raw(bootstrap, args.events)
        print(f"ingest process RSS after the runs: {rss() / 1024:.0f} MB")
    finally:
        svc.stop()


if __name__ == "__main__":
    asyncio.run(main())
