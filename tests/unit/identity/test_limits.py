"""Body limits (declared or streamed) and per-caller stream slots, on generated sizes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from runtime.limits import BodyLimit, Slots, TooMany

LIMIT = 1000


def _app() -> FastAPI:
    app = FastAPI()

    @app.post("/echo")
    async def echo(request: Request) -> dict[str, int]:
        return {"n": len(await request.body())}

    app.add_middleware(BodyLimit, max_bytes=LIMIT)
    return app


CLIENT = TestClient(_app())


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 3 * LIMIT), st.booleans())
def test_bodies_over_the_limit_are_413_whether_declared_or_streamed(
    size: int, chunked: bool
) -> None:
    body = b"x" * size

    def chunks() -> Iterator[bytes]:
        for i in range(0, size, 300):
            yield body[i : i + 300]

    r = CLIENT.post("/echo", content=chunks() if chunked else body)
    if size > LIMIT:
        assert r.status_code == 413
        assert r.json()["errors"][0]["field"] == "(body)"
    else:
        assert r.status_code == 200 and r.json() == {"n": size}


def test_slots_per_caller_and_in_total() -> None:
    slots = Slots(per_caller=2, total=3)
    slots.acquire("a")
    slots.acquire("a")
    with pytest.raises(TooMany, match="per caller"):
        slots.acquire("a")
    slots.acquire("b")
    with pytest.raises(TooMany, match="maximum of 3"):
        slots.acquire("c")
    slots.release("a")
    slots.acquire("c")
    assert slots.in_use == 3


@given(st.lists(st.tuples(st.sampled_from("abc"), st.booleans()), max_size=60))
def test_slots_never_exceed_their_caps(ops: list[tuple[str, bool]]) -> None:
    slots = Slots(per_caller=2, total=4)
    held: list[str] = []
    for caller, take in ops:
        if take:
            try:
                slots.acquire(caller)
                held.append(caller)
            except TooMany:
                pass
        elif caller in held:
            held.remove(caller)
            slots.release(caller)
        assert slots.in_use == len(held) <= 4
        assert all(held.count(c) <= 2 for c in "abc")
