"""Interaction facts (one row per interaction, newest event wins) and the 15-minute interval
counters they add up to."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from services.reporting.domain.projection import COUNTERS, InteractionFact, IntervalKey

_SET = ", ".join(f"{c} = interval_counters.{c} + EXCLUDED.{c}" for c in COUNTERS)
_COLS = ", ".join(COUNTERS)
_UNNEST = ", ".join(f"${n + 6}::double precision[]" for n in range(len(COUNTERS)))


async def stored_facts(conn: asyncpg.Connection, ids: Sequence[str]) -> dict[str, InteractionFact]:
    """The stored facts of these interactions, locked until the batch commits."""
    rows = await conn.fetch(
        "SELECT * FROM interaction_facts WHERE interaction_id = ANY($1::text[]) FOR UPDATE",
        list(ids),
    )
    return {
        r["interaction_id"]: InteractionFact(
            r["interaction_id"],
            r["event_id"],
            r["event_time"],
            IntervalKey(r["interval_start"], r["channel"], r["queue"], r["team_id"], r["agent_id"]),
            tuple(r["counters"]),
        )
        for r in rows
    }


async def write_facts(conn: asyncpg.Connection, facts: Sequence[InteractionFact]) -> None:
    if not facts:
        return
    await conn.execute(
        """INSERT INTO interaction_facts AS f (interaction_id, event_id, event_time,
               interval_start, channel, queue, team_id, agent_id, counters)
           SELECT i, e, t, s, c, q, tm, a, string_to_array(k, ',')::double precision[]
           FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[],
                       $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
                AS x(i, e, t, s, c, q, tm, a, k)
           ON CONFLICT (interaction_id) DO UPDATE SET event_id = EXCLUDED.event_id,
               event_time = EXCLUDED.event_time, interval_start = EXCLUDED.interval_start,
               channel = EXCLUDED.channel, queue = EXCLUDED.queue, team_id = EXCLUDED.team_id,
               agent_id = EXCLUDED.agent_id, counters = EXCLUDED.counters""",
        [f.interaction_id for f in facts],
        [f.event_id for f in facts],
        [f.event_time for f in facts],
        [f.key.interval_start for f in facts],
        [f.key.channel for f in facts],
        [f.key.queue for f in facts],
        [f.key.team_id for f in facts],
        [f.key.agent_id for f in facts],
        [",".join(repr(v) for v in f.counters) for f in facts],
    )


async def add_counters(conn: asyncpg.Connection, deltas: dict[IntervalKey, list[float]]) -> None:
    """One upsert for the whole batch: counters are added, so the statement is order-free."""
    if not deltas:
        return
    keys = list(deltas)
    columns = list(zip(*deltas.values(), strict=True))
    await conn.execute(
        f"""INSERT INTO interval_counters AS interval_counters
                (interval_start, channel, queue, team_id, agent_id, {_COLS})
            SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[],
                                 $5::text[], {_UNNEST})
            ON CONFLICT (interval_start, channel, queue, team_id, agent_id) DO UPDATE SET {_SET}""",
        [k.interval_start for k in keys],
        [k.channel for k in keys],
        [k.queue for k in keys],
        [k.team_id for k in keys],
        [k.agent_id for k in keys],
        *[list(c) for c in columns],
    )
