"""Action rows: raised, moved along their lifecycle, then given their before/after result."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from contracts.events import ActionEvaluatedEvent, ActionRaisedEvent, ActionTransitionedEvent


async def write(
    conn: asyncpg.Connection,
    raised: Sequence[ActionRaisedEvent],
    transitions: Sequence[ActionTransitionedEvent],
    evaluated: Sequence[ActionEvaluatedEvent],
) -> None:
    """Raises first, then transitions in order, then results (each may follow the others in
    the same batch)."""
    if raised:
        await conn.executemany(
            """INSERT INTO actions VALUES
                   ($1,$2,$3,$4,$5,$6,$7,$8,$9,'raised',$10,$11,$12,$13,$13,$14::jsonb)
               ON CONFLICT (action_id) DO NOTHING""",
            [
                (
                    a.action_id,
                    a.kind.value,
                    a.rule_id,
                    a.scope.type.value,
                    a.scope.id,
                    a.team_id,
                    a.metric,
                    a.observed,
                    a.threshold,
                    a.summary,
                    a.owner,
                    a.due_at,
                    a.raised_at,
                    a.model_dump_json(),
                )
                for a in (e.data for e in raised)
            ],
        )
    if transitions:  # applied in order, after any raise in the same batch
        await conn.executemany(
            """UPDATE actions SET status = $2, updated_at = $3
               WHERE action_id = $1 AND updated_at <= $3""",
            [(t.data.action_id, t.data.status.value, t.data.at) for t in transitions],
        )
    if evaluated:  # the before/after result; the status follows from `action.transitioned`
        await conn.executemany(
            "UPDATE actions SET evaluation = $2::jsonb WHERE action_id = $1",
            [(e.data.action_id, e.data.model_dump_json()) for e in evaluated],
        )
