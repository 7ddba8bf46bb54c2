"""`scoring.criterion_answers`: automated and human answers per interaction and criterion,
the pairs they form, and the automated checks' measured error."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from services.scoring.domain.agreement import Pair
from services.scoring.domain.monitoring_updates import Answer

# A pair: both sides answered (N/A is never stored). The partial index has the same predicate.
PAIRED = "auto_answer IS NOT NULL AND human_answer IS NOT NULL"


async def record_answers(
    conn: asyncpg.Connection,
    auto: Sequence[Answer],
    human: Sequence[Answer],
) -> dict[str, set[str]]:
    """Automated and human answers (per interaction and criterion), each side upserted on its
    own, in whichever order they arrive. The same pair twice in one batch (a resent event)
    keeps the later answer: one upsert cannot touch a row twice. Returns, per criterion, the
    interactions whose pair was formed or changed here (the gate's windows to re-judge)."""
    auto = list({(a.interaction_id, a.criterion_id): a for a in auto}.values())
    human = list({(h.interaction_id, h.criterion_id): h for h in human}.values())
    rows: list[asyncpg.Record] = []
    if auto:
        rows += await conn.fetch(
            f"""WITH up AS (
                 INSERT INTO scoring.criterion_answers (interaction_id, criterion_id, auto_answer)
                 SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
                 ON CONFLICT (interaction_id, criterion_id) DO UPDATE
                   SET auto_answer = EXCLUDED.auto_answer, updated_at = now()
                 RETURNING interaction_id, criterion_id, {PAIRED} AS paired)
               SELECT interaction_id, criterion_id FROM up WHERE paired""",
            [a.interaction_id for a in auto],
            [a.criterion_id for a in auto],
            [a.answer for a in auto],
        )
    if human:
        rows += await conn.fetch(
            f"""WITH up AS (
                 INSERT INTO scoring.criterion_answers
                     (interaction_id, criterion_id, human_answer, evaluation_id, human_at)
                 SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[],
                                      $5::timestamptz[])
                 ON CONFLICT (interaction_id, criterion_id) DO UPDATE
                   SET human_answer = EXCLUDED.human_answer, human_at = EXCLUDED.human_at,
                       evaluation_id = EXCLUDED.evaluation_id, updated_at = now()
                 RETURNING interaction_id, criterion_id, {PAIRED} AS paired)
               SELECT interaction_id, criterion_id FROM up WHERE paired""",
            [h.interaction_id for h in human],
            [h.criterion_id for h in human],
            [h.answer for h in human],
            [h.evaluation_id for h in human],
            [h.at for h in human],
        )
    paired: dict[str, set[str]] = {}
    for r in rows:
        paired.setdefault(r["criterion_id"], set()).add(r["interaction_id"])
    return paired


async def pair_windows(
    conn: asyncpg.Connection, criteria: Sequence[str], limit: int
) -> dict[str, list[Pair]]:
    """Each criterion's latest `limit` pairs, newest first (the gate's domain cuts the days)."""
    rows = await conn.fetch(
        f"""SELECT c.criterion_id, p.auto_answer, p.human_answer, p.human_at
           FROM unnest($1::text[]) AS c(criterion_id)
           CROSS JOIN LATERAL (
               SELECT auto_answer, human_answer, human_at FROM scoring.criterion_answers a
               WHERE a.criterion_id = c.criterion_id AND {PAIRED}
               ORDER BY human_at DESC, interaction_id DESC LIMIT $2) p""",
        sorted(criteria),
        limit,
    )
    out: dict[str, list[Pair]] = {}
    for r in rows:
        if r["human_at"] is not None:
            out.setdefault(r["criterion_id"], []).append(
                Pair(r["auto_answer"], r["human_answer"], r["human_at"])
            )
    return out


async def autoqa_accuracy(pool: asyncpg.Pool) -> list[asyncpg.Record]:
    """Per criterion, where both a human and the automated check answered (N/A excluded)."""
    return await pool.fetch(
        """SELECT criterion_id, count(*) AS compared,
                  round(avg((auto_answer = human_answer)::int) * 100, 1)::float8 AS agreement_pct,
                  count(*) FILTER (WHERE auto_answer = 'yes' AND human_answer = 'no')
                      AS false_pass,
                  count(*) FILTER (WHERE auto_answer = 'no' AND human_answer = 'yes')
                      AS false_fail
           FROM scoring.criterion_answers
           WHERE auto_answer IS NOT NULL AND human_answer IS NOT NULL
             AND auto_answer <> 'na' AND human_answer <> 'na'
           GROUP BY criterion_id ORDER BY criterion_id"""
    )
