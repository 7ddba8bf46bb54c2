"""The consumer core no record can stall: decoding from bytes, isolation by bisection, dead
letters that always fit, schema versions, and the stuck-consumer verdict (pure, no I/O)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from typing import Any

import pytest
from aiokafka import ConsumerRecord
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.events import scored_adapter
from runtime.consumer import Refused, decode, isolate
from runtime.health import verdict
from runtime.kafka import DLQ_PAYLOAD_BYTES, dead_letter

pytestmark = pytest.mark.unit


def record(value: bytes | None, headers: list[tuple[str, Any]] | None = None) -> Any:
    size = len(value or b"")
    return ConsumerRecord("ql.scores", 2, 41, 0, 0, b"k", value, None, 1, size, headers or [])


@given(st.binary(max_size=2000))
def test_decode_refuses_any_bytes_cleanly(raw: bytes) -> None:
    """Random bytes: a contract object or `Refused` with a reason, never another exception."""
    try:
        decode(raw, scored_adapter)
    except Refused as err:
        assert err.reason and err.errors


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"[" * 50_000 + b"]" * 50_000, "recursion"),  # issue 11, reproducer 3
        (b'{"id": "\xff"}', "invalid unicode"),  # reproducer 4 (text/plain, bad UTF-8)
        (b'{"id": not json', "Invalid JSON"),  # reproducer 4 (application/json, bad JSON)
        (b'{"pad": "' + b"x" * 600_000 + b'"}', "exceeds"),  # reproducer 6
    ],
)
def test_decode_names_the_problem(raw: bytes, words: str) -> None:
    with pytest.raises(Refused) as err:
        decode(raw, scored_adapter)
    assert words in err.value.reason


def scored_doc() -> dict[str, Any]:
    from tests.hostile import good_event

    return good_event("ql.scores", "unit", 1)[0]


def test_nul_in_any_text_is_refused_naming_the_field() -> None:
    """Reproducer 2: a NUL reached Postgres and the partition looped for ever."""
    doc = scored_doc()
    doc["data"]["interaction"]["queue"] = "a\u0000b"
    with pytest.raises(Refused) as err:
        decode(json.dumps(doc).encode(), scored_adapter)
    assert any(e["field"].endswith("interaction.queue") for e in err.value.errors)


@pytest.mark.parametrize("version", [2, 99, 10**9])
def test_unknown_schema_versions_are_refused(version: int) -> None:
    """Reproducer 7: schemaversion 99 was accepted on every internal topic."""
    doc = {**scored_doc(), "schemaversion": version}
    with pytest.raises(Refused) as err:
        decode(json.dumps(doc).encode(), scored_adapter)
    assert any(e["field"] == "schemaversion" for e in err.value.errors)
    assert decode(json.dumps({**doc, "schemaversion": 1}).encode(), scored_adapter)


@given(
    st.binary(min_size=0, max_size=300_000),
    st.lists(st.tuples(st.text(max_size=20), st.one_of(st.none(), st.binary(max_size=9000)))),
)
@settings(max_examples=40)
def test_dead_letters_always_fit_and_keep_the_trace(
    value: bytes, headers: list[tuple[str, bytes | None]]
) -> None:
    """Reproducers 5 and 6: null headers crashed the DLQ path; a 1 MB record's dead letter
    exceeded the broker limit and looped."""
    out = dead_letter(record(value, headers), "reporting", "why", [{"field": "x"}])
    size = len(out.value) + sum(len(k) + len(v.encode()) for k, v in out.headers.items())
    assert size < 1_000_000
    assert out.headers["dlq_source_offset"] == "41" and out.headers["dlq_reason"] == "why"
    if len(value) > DLQ_PAYLOAD_BYTES:
        assert out.headers["dlq_original_bytes"] == str(len(value))
        assert len(out.headers["dlq_original_sha256"]) == 64


class Poison(Exception):
    pass


@given(
    st.lists(st.integers(0, 50), max_size=60),
    st.sets(st.integers(0, 50)),
)
def test_isolation_applies_every_good_item_once_and_parks_each_bad_one(
    items: list[int], poison: set[int]
) -> None:
    """Whatever the batch and wherever the poison, every good item is applied exactly once,
    in order, and each poisoned item is handed to `on_poison` exactly once."""
    applied: list[int] = []
    parked: list[int] = []

    async def apply(part: Sequence[int]) -> int:
        if any(i in poison for i in part):
            raise Poison("deterministic")
        applied.extend(part)  # a transaction: all of the part or nothing
        return len(part)

    async def park(item: int, err: Exception) -> None:
        assert isinstance(err, Poison)
        parked.append(item)

    total = sum(asyncio.run(isolate(items, apply, park)))
    assert applied == [i for i in items if i not in poison]
    assert parked == [i for i in items if i in poison]
    assert total == len(applied)


def test_transient_errors_are_not_isolated_but_propagate() -> None:
    calls = 0

    async def apply(part: Sequence[int]) -> None:
        nonlocal calls
        calls += 1
        raise ConnectionResetError("database went away")

    async def park(item: int, err: Exception) -> None:
        raise AssertionError("a transient error must never dead-letter a record")

    with pytest.raises(ConnectionResetError):
        asyncio.run(isolate([1, 2, 3], apply, park))
    assert calls == 6  # retried in place with backoff, then the batch is redelivered


@pytest.mark.parametrize(
    ("lag", "busy", "ok"),
    [(0, 999.0, True), (None, 999.0, True), (5, None, True), (5, 10.0, True), (5, 61.0, False)],
)
def test_stuck_verdict(lag: int | None, busy: float | None, ok: bool) -> None:
    got, reason = verdict(lag, busy, 60.0, "CardinalityViolationError: boom")
    assert got is ok
    assert ok or ("5 records waiting" in reason and "CardinalityViolationError" in reason)
