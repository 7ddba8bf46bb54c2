"""Survey facts: one row per survey response (CSAT, NPS, CES, sentiment), the newest wins."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from contracts.events import SurveyScoredEvent


async def write(conn: asyncpg.Connection, events: Sequence[SurveyScoredEvent]) -> None:
    if not events:
        return
    await conn.executemany(
        """INSERT INTO survey_facts AS f VALUES
               ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)
           ON CONFLICT (response_id) DO UPDATE SET event_id = EXCLUDED.event_id,
               csat = EXCLUDED.csat, nps = EXCLUDED.nps, ces = EXCLUDED.ces,
               csat_top2 = EXCLUDED.csat_top2, nps_category = EXCLUDED.nps_category,
               sentiment = EXCLUDED.sentiment, verbatim = EXCLUDED.verbatim
           WHERE f.responded_at <= EXCLUDED.responded_at""",
        [
            (
                s.survey.response_id,
                e.id,
                s.survey.responded_at,
                s.survey.interaction_id,
                s.survey.agent_id or "",
                s.survey.team_id or "",
                s.survey.queue or "",
                s.survey.channel.value if s.survey.channel else "",
                s.survey.csat,
                s.survey.nps,
                s.survey.ces,
                s.csat_top2,
                s.nps_category.value if s.nps_category else None,
                s.sentiment,
                s.survey.verbatim,
            )
            for e in events
            for s in (e.data,)
        ],
    )
