"""Customer-experience and quality KPIs by scope and period: CSAT, NPS, CES (surveys), human QA
score (calibration excluded), complaints per 1,000 contacts and resolution time."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from runtime.http import Instant, Limit5000, Offset, Text, errors
from services.reporting.api import JSON_OR_CSV, narrowed, to_csv
from services.reporting.auth import allow
from services.reporting.domain.access import Principal
from services.reporting.domain.kpis import experience_row
from services.reporting.schemas import ExperienceRow, Format

router = APIRouter(prefix="/v1", tags=["kpis"], responses=errors(401, 403))
COLUMN = {
    "all": "''",
    "queue": "queue",
    "team": "team_id",
    "agent": "agent_id",
    "channel": "channel",
}
BUCKET = {
    "15min": "date_bin('15 minutes', {t}, timestamptz 'epoch')",
    "hour": "date_trunc('hour', {t})",
    "day": "date_trunc('day', {t})",
}
FILTER = """($1::timestamptz IS NULL OR {t} >= $1) AND ($2::timestamptz IS NULL OR {t} < $2)
    AND ($3::text IS NULL OR queue = $3) AND ($4::text IS NULL OR team_id = $4)
    AND ($5::text IS NULL OR agent_id = $5)"""


def _sql(scope: str, granularity: str) -> str:
    s, b = COLUMN[scope], BUCKET[granularity]
    return f"""
    WITH s AS (
        SELECT {b.format(t="responded_at")} AS period, {s} AS scope_id,
               count(csat) AS csat_n, count(*) FILTER (WHERE csat_top2) AS csat_top2,
               count(nps) AS nps_n, count(*) FILTER (WHERE nps_category = 'promoter') AS promoters,
               count(*) FILTER (WHERE nps_category = 'detractor') AS detractors,
               avg(ces) AS ces_avg
        FROM reporting.survey_facts WHERE {FILTER.format(t="responded_at")} GROUP BY 1, 2),
    q AS (
        SELECT {b.format(t="evaluated_at")} AS period, {s} AS scope_id, avg(score) AS qa_avg,
               count(*) AS qa_n, count(*) FILTER (WHERE critical_failed) AS qa_critical
        FROM (SELECT e.*, i.queue, i.channel  -- the evaluated contact's queue and channel
              FROM reporting.evaluation_facts e
              LEFT JOIN reporting.interaction_facts i USING (interaction_id)) e
        WHERE counts_toward_agent AND method <> 'automated'
          AND {FILTER.format(t="evaluated_at")} GROUP BY 1, 2),
    k AS (
        SELECT {b.format(t="raised_at")} AS period, {s} AS scope_id, count(*) AS complaints,
               avg(extract(epoch FROM resolved_at - raised_at)) / 3600 AS resolution_h
        FROM reporting.complaint_facts
        WHERE raised_at IS NOT NULL AND {FILTER.format(t="raised_at")} GROUP BY 1, 2),
    c AS (
        SELECT {b.format(t="interval_start")} AS period, {s} AS scope_id, sum(offered) AS offered
        FROM reporting.interval_counters WHERE {FILTER.format(t="interval_start")} GROUP BY 1, 2)
    SELECT * FROM s FULL JOIN q USING (period, scope_id) FULL JOIN k USING (period, scope_id)
         FULL JOIN c USING (period, scope_id)
    WHERE s.csat_n IS NOT NULL OR q.qa_n IS NOT NULL OR k.complaints IS NOT NULL
    ORDER BY period DESC, scope_id LIMIT $6 OFFSET $7"""


@router.get("/kpis/experience", response_model=list[ExperienceRow], responses=JSON_OR_CSV)
async def experience(
    request: Request,
    who: Annotated[Principal, Depends(allow("experience"))],
    granularity: Literal["15min", "hour", "day"] = "day",
    scope: Literal["all", "queue", "team", "agent", "channel"] = "team",
    start: Instant | None = None,
    end: Instant | None = None,
    queue: Text | None = None,
    team_id: Text | None = None,
    agent_id: Text | None = None,
    limit: Limit5000 = 500,
    offset: Offset = 0,
    format: Format = "json",
) -> list[dict[str, Any]] | Response:
    """CSAT % (with n and a 95% Wilson interval), NPS, CES, human QA score, complaints per
    1,000 contacts and mean resolution hours; agents see their own, team leaders their team's."""
    rows_of = narrowed(who, team_id, agent_id)
    rows = await request.app.state.pool.fetch(
        _sql(scope, granularity),
        start,
        end,
        queue,
        rows_of.team_id,
        rows_of.agent_id,
        limit,
        offset,
    )
    out = [
        {"period": r["period"], "scope": scope, "scope_id": r["scope_id"], **experience_row(r)}
        for r in rows
    ]
    if format == "csv":
        return Response(to_csv(out), media_type="text/csv")
    return out
