"""Sending a simulated day: through ingest's HTTP API or straight to the raw Kafka topics, at
real time, at a speed-up factor, or as fast as possible."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer

from contracts import topics
from runtime.kafka_security import client_options

RAW_TOPIC = {
    "interaction": topics.RAW_INTERACTIONS.name,
    "evaluation": topics.RAW_EVALUATIONS.name,
    "survey": topics.RAW_SURVEYS.name,
    "complaint": topics.RAW_COMPLAINTS.name,
}
BATCH = 1000


def parse_speed(value: str) -> float | None:
    """'max' → None (no pacing); 'realtime' → 1; a number → that speed-up factor."""
    if value == "max":
        return None
    if value == "realtime":
        return 1.0
    factor = float(value)
    if factor <= 0:
        raise ValueError("speed must be 'max', 'realtime' or a positive factor")
    return factor


def schedule(times: Sequence[datetime], start: datetime, speed: float | None) -> list[float]:
    """Seconds after the send starts at which each event is due (history before `start` at 0)."""
    if speed is None:
        return [0.0] * len(times)
    return [max(0.0, (t - start).total_seconds() / speed) for t in times]


def batches(due: Sequence[float], size: int = BATCH) -> list[tuple[float, int, int]]:
    """(due time, first, end) runs: events due together go together, at most `size` a batch."""
    out: list[tuple[float, int, int]] = []
    first = 0
    for i in range(1, len(due) + 1):
        if i == len(due) or i - first >= size or due[i] - due[first] > 0.5:
            out.append((due[first], first, i))
            first = i
    return out


@dataclass
class Sent:
    accepted: int = 0
    rejected: int = 0
    seconds: float = 0.0
    by_type: dict[str, int] = field(default_factory=dict)
    errors: list[Any] = field(default_factory=list)


async def _paced(
    events: Sequence[dict[str, Any]],
    start: datetime,
    speed: float | None,
    send: Callable[[Sequence[dict[str, Any]]], Any],
    progress: Callable[[int], None],
) -> Sent:
    times = [datetime.fromisoformat(e["time"].replace("Z", "+00:00")) for e in events]
    t0, sent = time.perf_counter(), Sent()
    for due, first, end in batches(schedule(times, start, speed)):
        delay = due - (time.perf_counter() - t0)
        if delay > 0:
            await asyncio.sleep(delay)
        accepted, rejected, errors = await send(events[first:end])
        sent.accepted += accepted
        sent.rejected += rejected
        sent.errors += errors[:5]
        for e in events[first:end]:
            kind = e["type"].removeprefix("io.qualityloop.")
            sent.by_type[kind] = sent.by_type.get(kind, 0) + 1
        progress(end)
    sent.seconds = time.perf_counter() - t0
    return sent


def retry_delay(retry_after: str | None, attempt: int) -> float:
    """Seconds to wait before resending: what ingest's `Retry-After` asks for (it answers 503
    while Kafka does not acknowledge), else exponential backoff from 0.5 s, capped at 30 s."""
    try:
        asked = float(retry_after) if retry_after is not None else None
    except ValueError:
        asked = None  # an HTTP-date: ingest never sends one; back off instead
    backoff = min(30.0, 0.5 * 2**attempt)
    return max(0.0, asked) if asked is not None else backoff


ATTEMPTS = 8


async def over_http(
    events: Sequence[dict[str, Any]],
    start: datetime,
    speed: float | None,
    url: str,
    key: str,
    progress: Callable[[int], None] = lambda _: None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Sent:
    """POST batches to ingest's `/v1/events/batch`; resend on 503 and on connection errors
    (event ids are idempotency keys, so a resend never doubles anything)."""
    async with httpx.AsyncClient(
        base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=60, transport=transport
    ) as http:

        async def send(chunk: Sequence[dict[str, Any]]) -> tuple[int, int, list[Any]]:
            for attempt in range(ATTEMPTS):
                try:
                    r = await http.post("/v1/events/batch", json=list(chunk))
                except httpx.TransportError:
                    if attempt == ATTEMPTS - 1:
                        raise
                    await asyncio.sleep(retry_delay(None, attempt))
                    continue
                if r.status_code == 503:
                    await asyncio.sleep(retry_delay(r.headers.get("retry-after"), attempt))
                    continue
                r.raise_for_status()
                body = r.json()
                bad = [x for x in body["results"] if x["status"] != "accepted"]
                return body["accepted"], body["rejected"], bad
            raise RuntimeError(f"ingest kept answering 503 ({ATTEMPTS} attempts)")

        return await _paced(events, start, speed, send, progress)


def raw_record(e: dict[str, Any]) -> tuple[str, bytes, bytes]:
    """(raw topic, key, value) for one inbound event: ingest reads the value as the inbound
    event's JSON; keys keep a complaint's lifecycle, and an agent's contacts, in order."""
    d = e["data"]
    key = d.get("complaint_id") or d.get("agent_id") or e["id"]
    return RAW_TOPIC[e["type"].split(".")[2]], key.encode(), json.dumps(e).encode()


async def over_kafka(
    events: Sequence[dict[str, Any]],
    start: datetime,
    speed: float | None,
    bootstrap: str,
    progress: Callable[[int], None] = lambda _: None,
) -> Sent:
    producer = AIOKafkaProducer(
        **client_options(bootstrap), acks="all", enable_idempotence=True, linger_ms=5
    )
    await producer.start()
    try:

        async def send(chunk: Sequence[dict[str, Any]]) -> tuple[int, int, list[Any]]:
            futures = []
            for e in chunk:
                topic, key, value = raw_record(e)
                futures.append(await producer.send(topic, value, key=key))
            await asyncio.gather(*futures)
            return len(chunk), 0, []

        return await _paced(events, start, speed, send, progress)
    finally:
        await producer.stop()
