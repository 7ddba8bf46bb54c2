"""The AutoQA trust gate at the edge: when a batch formed or changed pairs of automated and
human answers, re-judge those criteria (load -> decide -> save) and publish each change of
state on `ql.scores`, keyed by criterion (a criterion's changes stay in order)."""

from __future__ import annotations

from collections.abc import Mapping

import asyncpg

from contracts.envelope import kafka_headers
from contracts.events import AutoQaGateChangedEvent
from contracts.gates import GateRule
from contracts.topics import SCORES
from runtime.kafka import Outgoing
from services.scoring import store
from services.scoring.domain.gate import decide
from services.scoring.names import SOURCE


async def rejudge(
    conn: asyncpg.Connection, paired: Mapping[str, set[str]], rule: GateRule, scorecard_id: str
) -> list[Outgoing]:
    """`paired`: per criterion, the interactions whose pair this batch formed or changed."""
    if not paired:
        return []
    criteria = sorted(paired)
    previous = await store.gates(conn, criteria)  # locked until the transaction ends
    windows = await store.pair_windows(conn, criteria, rule.window_pairs)
    updates = decide(windows, {c: p.gate for c, p in previous.items()}, rule, scorecard_id, SOURCE)
    await store.save_gates(conn, updates, paired)
    changes = [u.changed for u in updates if u.changed is not None]
    changed = {e.data.criterion_id for e in changes}
    # A redelivered batch finds its change already saved: publish it again (same id).
    changes += [
        p.last_change
        for c, p in previous.items()
        if c not in changed and p.last_change is not None and p.changed_by & paired[c]
    ]
    return [record(e) for e in changes]


def record(event: AutoQaGateChangedEvent) -> Outgoing:
    return Outgoing(
        SCORES.name,
        event.data.criterion_id.encode(),
        event.model_dump_json().encode(),
        kafka_headers(event),
    )
