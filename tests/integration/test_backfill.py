"""Backfill of a 100,000-row export, killed part-way and resumed: every good row arrives once
(by id), every bad row is in the rejects file with its reason, nothing is lost."""

from __future__ import annotations

import asyncio
import csv
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

from aiokafka import AIOKafkaConsumer

from contracts import topics
from tests import factories as f
from tests.conftest import Servers
from tests.processes import ROOT
from tests.topic_reader import end_offsets

ROWS, BAD_EVERY = 100_000, 2_000  # 50 bad rows


def write_export(path: Path, queue: str) -> None:
    columns = [
        "interaction_id",
        "channel",
        "queue",
        "agent_id",
        "team_id",
        "customer_id",
        "customer_phone",
        "offered_at",
        "answered_at",
        "ended_at",
        "wait_seconds",
        "talk_seconds",
        "hold_seconds",
        "after_contact_work_seconds",
        "transferred",
        "abandoned",
        "resolved_first_contact",
        "transcript",
    ]
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for n in range(ROWS):
            at = f.T0 + timedelta(seconds=n)
            wait = "not-a-number" if n % BAD_EVERY == 7 else str(n % 40)
            writer.writerow(
                [
                    f"bf-{queue}-{n}",
                    "voice",
                    queue,
                    f"agent-{n % 50}",
                    "team-bf",
                    f"C{n}",
                    "07700 900123",
                    f.iso(at),
                    f.iso(at + timedelta(seconds=n % 40)),
                    f.iso(at + timedelta(seconds=400)),
                    wait,
                    "300",
                    "0",
                    "60",
                    "no",
                    "false",
                    "yes",
                    "Thanks, my email is someone@example.com",
                ]
            )


def backfill(path: Path, servers: Servers) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": servers.kafka,
        "DATABASE_URL": servers.database_url,
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "services.ingest",
            "backfill",
            str(path),
            "--type",
            "interaction.completed",
            "--source",
            "/test/backfill",
            "--batch",
            "2000",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


async def test_backfill_resumes_after_kill_without_duplicates(
    tmp_path: Path, servers: Servers
) -> None:
    queue = f"bf{uuid.uuid4().hex[:8]}"
    export = tmp_path / "interactions.csv"
    write_export(export, queue)
    start = await end_offsets(servers.kafka, topics.INTERACTIONS.name)
    checkpoint = tmp_path / "interactions.csv.checkpoint.json"

    first = backfill(export, servers)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if checkpoint.exists() and json.loads(checkpoint.read_text())["rows_done"] >= 30_000:
            break
        assert first.poll() is None, first.stderr.read() if first.stderr else ""
        await asyncio.sleep(0.02)
    first.send_signal(signal.SIGKILL)
    first.wait()
    done_at_kill = json.loads(checkpoint.read_text())["rows_done"]
    assert 30_000 <= done_at_kill < ROWS, "the kill must land part-way"

    second = backfill(export, servers)
    _, err = second.communicate(timeout=300)
    assert second.returncode == 0, err.decode()
    summary = err.decode().strip().splitlines()[-1]
    assert f"resumed after row {done_at_kill}" in summary and "rows/s" in summary

    rejects = list(csv.DictReader((tmp_path / "interactions.csv.rejects.csv").open()))
    assert len(rejects) == ROWS // BAD_EVERY
    assert {r["field"] for r in rejects} == {"data.wait_seconds"}

    consumer = AIOKafkaConsumer(bootstrap_servers=servers.kafka, enable_auto_commit=False)
    await consumer.start()
    consumer.assign(list(start))
    for tp, offset in start.items():
        consumer.seek(tp, offset)
    ids: list[str] = []
    needle = queue.encode()
    try:
        idle = 0
        while idle < 6:
            batches = await consumer.getmany(timeout_ms=500, max_records=20_000)
            idle = 0 if batches else idle + 1
            for records in batches.values():
                ids += [json.loads(r.value)["id"] for r in records if needle in r.value]
    finally:
        await consumer.stop()
    good = ROWS - ROWS // BAD_EVERY
    assert len(set(ids)) == good, "every good row arrived"
    assert len(ids) - good <= 2_000, "only the batch in flight at the kill was resent"
