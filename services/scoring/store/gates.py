"""`scoring.autoqa_gates`: each automated criterion's trust gate, and its last change (kept
so a redelivered batch re-publishes the change it made, which downstream dedupes by id)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import asyncpg

from contracts.events import AutoQaGateChangedEvent
from contracts.gates import Agreement, GateState
from services.scoring.domain.gate import Gate, GateUpdate


@dataclass(frozen=True, slots=True)
class StoredGate:
    gate: Gate
    last_change: AutoQaGateChangedEvent | None
    changed_by: frozenset[str]  # the interactions whose pairs made the last change


def _gate(r: asyncpg.Record) -> Gate:
    return Gate(
        r["criterion_id"],
        GateState(r["state"]),
        r["since"],
        r["reason"],
        Agreement.model_validate_json(r["agreement"]),
    )


async def gate_states(pool: asyncpg.Pool) -> dict[str, Gate]:
    """Every criterion's gate, for stamping automated answers."""
    rows = await pool.fetch(
        "SELECT criterion_id, state, since, reason, agreement FROM scoring.autoqa_gates"
    )
    return {r["criterion_id"]: _gate(r) for r in rows}


async def gates(conn: asyncpg.Connection, criteria: Sequence[str]) -> dict[str, StoredGate]:
    """The criteria's gates, with the gates serialised across scoring processes until the
    caller's transaction ends (load -> decide -> save sees every committed pair)."""
    await conn.execute("SELECT pg_advisory_xact_lock(hashtext('scoring.autoqa_gates'))")
    rows = await conn.fetch(
        "SELECT * FROM scoring.autoqa_gates WHERE criterion_id = ANY($1::text[])", list(criteria)
    )
    return {
        r["criterion_id"]: StoredGate(
            _gate(r),
            AutoQaGateChangedEvent.model_validate_json(r["last_change"])
            if r["last_change"]
            else None,
            frozenset(r["changed_by"]),
        )
        for r in rows
    }


async def save_gates(
    conn: asyncpg.Connection, updates: Sequence[GateUpdate], paired: Mapping[str, set[str]]
) -> None:
    await conn.executemany(
        """INSERT INTO scoring.autoqa_gates (criterion_id, state, since, reason, agreement,
               last_change, changed_by)
           VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::text[])
           ON CONFLICT (criterion_id) DO UPDATE SET
               state = EXCLUDED.state, since = EXCLUDED.since, reason = EXCLUDED.reason,
               agreement = EXCLUDED.agreement, updated_at = now(),
               last_change = coalesce(EXCLUDED.last_change, scoring.autoqa_gates.last_change),
               changed_by = CASE WHEN EXCLUDED.last_change IS NULL
                            THEN scoring.autoqa_gates.changed_by ELSE EXCLUDED.changed_by END""",
        [
            (
                u.gate.criterion_id,
                u.gate.state.value,
                u.gate.since,
                u.gate.reason,
                u.gate.agreement.model_dump_json(),
                u.changed.model_dump_json() if u.changed else None,
                sorted(paired.get(u.gate.criterion_id, ())) if u.changed else [],
            )
            for u in updates
        ],
    )


async def all_gates(pool: asyncpg.Pool) -> list[Gate]:
    rows = await pool.fetch("SELECT * FROM scoring.autoqa_gates ORDER BY criterion_id")
    return [_gate(r) for r in rows]
