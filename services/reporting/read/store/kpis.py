"""The KPI query builder, written once: scope → group-by column, granularity → time bucket,
and the filters every KPI query takes; `/v1/kpis`, `/v1/kpis/experience` and the dashboard
build their SQL with it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from runtime.identity import RowScope
from services.reporting.domain.projection import COUNTERS

SCOPE = {
    "all": "''",
    "queue": "queue",
    "team": "team_id",
    "agent": "agent_id",
    "channel": "channel",
}
_BUCKET = {
    "15min": "date_bin('15 minutes', {t}, timestamptz 'epoch')",
    "hour": "date_trunc('hour', {t})",
    "day": "date_trunc('day', {t})",
}
SUMS = ", ".join(f"sum({c}) AS {c}" for c in COUNTERS)
COUNTERS_TABLE = "reporting.interval_counters"
# Human evaluations with the evaluated contact's queue and channel.
EVALUATIONS = """(SELECT e.*, i.queue, i.channel FROM reporting.evaluation_facts e
    LEFT JOIN reporting.interaction_facts i USING (interaction_id)) e"""


@dataclass(frozen=True, slots=True)
class Filters:
    """A KPI query's $1..$5, narrowed to the caller's rows; `limit`/`offset` are $6, $7."""

    start: datetime | None
    end: datetime | None
    queue: str | None
    rows: RowScope
    limit: int = 0
    offset: int = 0

    def args(self) -> tuple[Any, ...]:
        return (self.start, self.end, self.queue, self.rows.team_id, self.rows.agent_id)

    def page(self) -> tuple[Any, ...]:
        return (*self.args(), self.limit, self.offset)


def period(granularity: str, t: str, *, binned: bool = False) -> str:
    """`t` truncated to its period's start. `binned`: `t` already holds 15-minute interval
    starts (the counters' `interval_start`), served as stored at 15-minute granularity."""
    return t if binned and granularity == "15min" else _BUCKET[granularity].format(t=t)


def by_period(granularity: str, scope: str, t: str, *, binned: bool = False) -> list[str]:
    """The group-by keys `period` and `scope_id` of a KPI series."""
    return [f"{period(granularity, t, binned=binned)} AS period", f"{SCOPE[scope]} AS scope_id"]


def grouped(source: str, t: str, keys: Sequence[str], measures: str, where: str = "TRUE") -> str:
    """`measures` per `keys` over the rows of `source` matching `Filters` ($1..$5), `t` being
    the row's time."""
    return f"""SELECT {", ".join(keys)}, {measures} FROM {source}
        WHERE {where} AND ($1::timestamptz IS NULL OR {t} >= $1)
          AND ($2::timestamptz IS NULL OR {t} < $2) AND ($3::text IS NULL OR queue = $3)
          AND ($4::text IS NULL OR team_id = $4) AND ($5::text IS NULL OR agent_id = $5)
        GROUP BY {", ".join(str(n) for n in range(1, len(keys) + 1))}"""


async def operational(
    pool: asyncpg.Pool, scope: str, granularity: str, f: Filters
) -> list[asyncpg.Record]:
    """Summed interval counters per period and scope, newest first (`/v1/kpis`)."""
    keys = by_period(granularity, scope, "interval_start", binned=True)
    sql = grouped(COUNTERS_TABLE, "interval_start", keys, SUMS)
    return await pool.fetch(f"{sql} ORDER BY 1 DESC, 2 LIMIT $6 OFFSET $7", *f.page())


async def experience(
    pool: asyncpg.Pool, scope: str, granularity: str, f: Filters
) -> list[asyncpg.Record]:
    """Survey, human-QA, complaint and contact aggregates per period and scope, newest first
    (`/v1/kpis/experience`). Every source is bucketed alike so the four join on periods."""

    def keys(t: str) -> list[str]:
        return by_period(granularity, scope, t)

    surveys = """count(csat) AS csat_n, count(*) FILTER (WHERE csat_top2) AS csat_top2,
        count(nps) AS nps_n, count(*) FILTER (WHERE nps_category = 'promoter') AS promoters,
        count(*) FILTER (WHERE nps_category = 'detractor') AS detractors, avg(ces) AS ces_avg"""
    qa = """avg(score) AS qa_avg, count(*) AS qa_n,
        count(*) FILTER (WHERE critical_failed) AS qa_critical"""
    complaints = """count(*) AS complaints,
        avg(extract(epoch FROM resolved_at - raised_at)) / 3600 AS resolution_h"""
    human = "counts_toward_agent AND method <> 'automated'"
    s = grouped("reporting.survey_facts", "responded_at", keys("responded_at"), surveys)
    q = grouped(EVALUATIONS, "evaluated_at", keys("evaluated_at"), qa, human)
    k = grouped(
        "reporting.complaint_facts",
        "raised_at",
        keys("raised_at"),
        complaints,
        "raised_at IS NOT NULL",
    )
    c = grouped(COUNTERS_TABLE, "interval_start", keys("interval_start"), "sum(offered) AS offered")
    sql = f"""WITH s AS ({s}), q AS ({q}), k AS ({k}), c AS ({c})
    SELECT * FROM s FULL JOIN q USING (period, scope_id) FULL JOIN k USING (period, scope_id)
         FULL JOIN c USING (period, scope_id)
    WHERE s.csat_n IS NOT NULL OR q.qa_n IS NOT NULL OR k.complaints IS NOT NULL
    ORDER BY period DESC, scope_id LIMIT $6 OFFSET $7"""
    return await pool.fetch(sql, *f.page())
