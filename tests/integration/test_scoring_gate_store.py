"""The trust gate's edge on real Postgres (scoring's schema in a database of its own): pairs
form whichever side arrives first, each criterion's window is its latest pairs, a change is
saved with the event that announces it, and a redelivered batch re-publishes that same event
(its publication may have failed after the commit) while a steady state publishes nothing."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest

from contracts.gates import GateState
from runtime.db import migrate
from services.scoring import store, trust_gate
from services.scoring.domain.monitoring_updates import Answer
from tests import databases
from tests.conftest import Servers
from tests.factories import T0
from tests.gate_events import RULE

SCORING = Path(__file__).resolve().parents[2] / "services" / "scoring" / "migrations"
C = "identity-verification"


@pytest.fixture(scope="module")
def scoring_db(servers: Servers) -> str:
    return databases.fresh_database(servers.admin_url, "ql_gatestore")


@pytest.fixture
async def conn(scoring_db: str) -> AsyncIterator[asyncpg.Connection]:
    await migrate(SCORING, scoring_db, "scoring")
    c = await asyncpg.connect(scoring_db)
    try:
        yield c
    finally:
        await c.close()


def answers(kinds: str, start: int) -> tuple[list[Answer], list[Answer]]:
    """`a` both pass, `b` both fail, `f` automated fail where the human passed."""
    auto, human = [], []
    for i, k in enumerate(kinds, start):
        iid = f"gs-{i}"
        auto.append(Answer(iid, C, "yes" if k == "a" else "no"))
        human.append(
            Answer(iid, C, "no" if k == "b" else "yes", f"ev-{i}", T0 + timedelta(minutes=i))
        )
    return auto, human


async def batch(conn: asyncpg.Connection, auto: list[Answer], human: list[Answer]) -> list[dict]:
    async with conn.transaction():
        paired = await store.record_answers(conn, auto, human)
        out = await trust_gate.rejudge(conn, paired, RULE, "core-qa")
    return [json.loads(o.value) for o in out]


async def test_gate_changes_are_saved_published_and_republished_on_redelivery(
    conn: asyncpg.Connection,
) -> None:
    auto, human = answers("ab" * 10, 0)
    # Automated answers alone form no pair; the human side completes them.
    assert await batch(conn, auto, []) == []
    (opened,) = await batch(conn, [], human)
    assert opened["type"] == "io.qualityloop.autoqa.gate_changed"
    assert opened["data"]["state"] == "trusted" and opened["data"]["agreement"]["pairs"] == 20
    stored = await store.gate_states(conn)  # type: ignore[arg-type]
    assert {c: g.state for c, g in stored.items()} == {C: GateState.TRUSTED}

    # The same batch again: nothing changes, and the change it made is published again.
    (again,) = await batch(conn, auto, human)
    assert again == opened
    # New agreeing pairs: a steady state, nothing to publish; `since` stays.
    assert await batch(conn, *answers("ab", 20)) == []
    (gate,) = await store.all_gates(conn)  # type: ignore[arg-type]
    assert gate.since == T0 + timedelta(minutes=19) and gate.agreement.pairs == 22

    # Disagreement closes it; the window holds the latest `window_pairs` pairs.
    (closed,) = await batch(conn, *answers("ffffff", 22))
    assert (closed["data"]["previous"], closed["data"]["state"]) == ("trusted", "unverified")
    assert closed["id"] != opened["id"]
    assert await batch(conn, *answers("ffff", 28)) == []  # still unverified
    windows = await store.pair_windows(conn, [C], RULE.window_pairs)
    assert len(windows[C]) == RULE.window_pairs == 30
    assert windows[C][0].at == T0 + timedelta(minutes=31)  # newest first
    assert [p.at for p in windows[C]] == sorted((p.at for p in windows[C]), reverse=True)
