"""Is a consumer moving? Per consumer group: lag, the age of its last progress, and a verdict.

A consumer is *stuck* when it has lag and a batch it started (or keeps being redelivered) has
not finished for `stall_after_s`;
readiness then turns 503 with the reason, so an orchestrator (or an operator) sees what
`/ready` used to hide: a partition that never moves again.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Progress:
    """What one consumer group's handler has done (updated by the batch wrapper)."""

    group: str
    topics: tuple[str, ...]
    last_progress: float = field(default_factory=time.monotonic)
    in_flight_since: float | None = None  # kept across failed attempts of the same batch
    batches: int = 0
    records: int = 0
    failures: int = 0
    last_error: str | None = None
    subscriber: Any = None  # FastStream's subscriber: its aiokafka consumer gives the lag

    def started(self) -> None:
        if self.in_flight_since is None:
            self.in_flight_since = time.monotonic()

    def done(self, records: int) -> None:
        self.in_flight_since = None
        self.batches += 1
        self.records += records
        self.last_progress = time.monotonic()

    def failed(self, err: BaseException) -> None:
        self.failures += 1
        self.last_error = f"{type(err).__name__}: {err}"[:300]


def verdict(
    lag: int | None, busy_s: float | None, stall_after_s: float, last_error: str | None
) -> tuple[bool, str]:
    """(ok, reason). Unknown lag (not yet assigned, or fetch not started) is not a fault."""
    if lag and busy_s is not None and busy_s > stall_after_s:
        why = f"; last error {last_error}" if last_error else ""
        return False, f"one batch unfinished for {busy_s:.0f} s with {lag} records waiting{why}"
    return True, "ok"


async def lag_of(subscriber: Any) -> int | None:
    """Records between the group's committed offsets and the partitions' high-water marks,
    as this member's consumer last saw them (no extra round trip to the broker but one
    `committed` call per assigned partition)."""
    consumer = getattr(subscriber, "consumer", None)
    if consumer is None:
        return None
    total, known = 0, False
    for tp in consumer.assignment():
        high = consumer.highwater(tp)
        if high is None:
            continue
        committed = await consumer.committed(tp)
        total += max(0, high - (committed or 0))
        known = True
    return total if known else None


async def report(progress: Progress, stall_after_s: float) -> dict[str, Any]:
    now = time.monotonic()
    lag = await lag_of(progress.subscriber)
    idle = now - progress.last_progress
    busy = None if progress.in_flight_since is None else now - progress.in_flight_since
    ok, reason = verdict(lag, busy, stall_after_s, progress.last_error)
    return {
        "group": progress.group,
        "topics": list(progress.topics),
        "ok": ok,
        "reason": reason,
        "lag": lag,
        "seconds_since_progress": round(idle, 1),
        "batches": progress.batches,
        "records": progress.records,
        "failures": progress.failures,
        "last_error": progress.last_error,
    }
