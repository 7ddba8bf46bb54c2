"""`actions.observations`: the metric streams, and the histories window rules read."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import asyncpg

from services.actions.domain.engine import Need
from services.actions.domain.observation import Observation
from services.actions.store.base import Family

COLUMNS = ("agent_id", "team_id", "queue")  # the only names ever put into SQL text


class Observations(Family):
    async def record(self, observations: Sequence[Observation]) -> None:
        await self.db.executemany(
            """INSERT INTO actions.observations (event_id, metric, agent_id, team_id, queue,
                   observed_at, value, critical_failed, evidence_id, passed, failed)
               VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) ON CONFLICT DO NOTHING""",
            [
                (
                    o.event_id,
                    o.metric,
                    o.agent_id,
                    o.team_id,
                    o.queue,
                    o.at,
                    o.value,
                    o.critical_failed,
                    o.evidence_id,
                    list(o.passed),
                    list(o.failed),
                )
                for o in observations
            ],
        )

    async def histories(self, need: Need) -> dict[str, list[Observation]]:
        """The last `need.depth` observations of each agent, team or queue (oldest first)."""
        column = need.column
        assert column in COLUMNS
        rows = await self.db.fetch(
            f"""SELECT * FROM (
                 SELECT o.*, row_number() OVER (PARTITION BY {column}
                        ORDER BY observed_at DESC, event_id DESC) AS rn
                 FROM actions.observations o WHERE metric = $1 AND {column} = ANY($2::text[])
               ) w WHERE rn <= $3 ORDER BY {column}, observed_at, event_id""",
            need.metric,
            list(need.ids),
            need.depth,
        )
        out: dict[str, list[Observation]] = {}
        for r in rows:
            out.setdefault(r[column], []).append(_observation(r))
        return out

    async def team_histories(self, need: Need) -> dict[str, dict[str, list[Observation]]]:
        """Each agent's last `need.depth` observations, for every agent of the teams in
        `need.ids`, by team then agent (oldest first)."""
        rows = await self.db.fetch(
            """SELECT * FROM (
                 SELECT o.*, row_number() OVER (PARTITION BY team_id, agent_id
                        ORDER BY observed_at DESC, event_id DESC) AS rn
                 FROM actions.observations o WHERE metric = $1 AND team_id = ANY($2::text[])
               ) w WHERE rn <= $3 ORDER BY team_id, agent_id, observed_at, event_id""",
            need.metric,
            list(need.ids),
            need.depth,
        )
        out: dict[str, dict[str, list[Observation]]] = {}
        for r in rows:
            out.setdefault(r["team_id"], {}).setdefault(r["agent_id"], []).append(_observation(r))
        return out

    async def between(
        self, metric: str, column: str, scope_id: str, start: datetime, end: datetime
    ) -> list[Observation]:
        """A scope's observations of a metric in [start, end) (column: agent_id or team_id)."""
        assert column in ("agent_id", "team_id")
        rows = await self.db.fetch(
            f"""SELECT * FROM actions.observations WHERE metric = $1 AND {column} = $2
                  AND observed_at >= $3 AND observed_at < $4 ORDER BY observed_at, event_id""",
            metric,
            scope_id,
            start,
            end,
        )
        return [_observation(r) for r in rows]


def _observation(r: asyncpg.Record) -> Observation:
    return Observation(
        r["event_id"],
        r["metric"],
        r["agent_id"],
        r["team_id"],
        r["queue"],
        r["observed_at"],
        r["value"],
        r["critical_failed"],
        r["evidence_id"],
        tuple(r["passed"]),
        tuple(r["failed"]),
    )
