"""Reporting: survey and complaint facts, their daily views, complaint rate, action summary.

Revision ID: reporting_0002
"""

from runtime.alembic_env import execute_script
from services.reporting.domain.definitions import KPI

revision = "reporting_0002"
down_revision = "reporting_0001"


def upgrade() -> None:
    execute_script(f"""
    CREATE TABLE reporting.survey_facts (
        response_id text PRIMARY KEY, event_id text NOT NULL, responded_at timestamptz NOT NULL,
        interaction_id text, agent_id text NOT NULL, team_id text NOT NULL,
        queue text NOT NULL, channel text NOT NULL, csat int, nps int, ces int,
        csat_top2 boolean, nps_category text, sentiment double precision,
        verbatim text);  -- free text (redacted at ingest): not for the bi_reader role
    CREATE INDEX survey_facts_time ON reporting.survey_facts (responded_at);

    CREATE TABLE reporting.complaint_facts (
        complaint_id text PRIMARY KEY, category text, severity text, channel text,
        queue text, team_id text, agent_id text, interaction_id text,
        raised_at timestamptz, acknowledge_by timestamptz, resolve_by timestamptz,
        status text NOT NULL DEFAULT 'open', status_at timestamptz,
        acknowledged_at timestamptz, resolved_at timestamptz, outcome text, root_cause text,
        sentiment double precision, description text);  -- free text (redacted at ingest)
    CREATE INDEX complaint_facts_raised ON reporting.complaint_facts (raised_at);

    CREATE VIEW reporting.survey_daily AS
    SELECT date_trunc('day', responded_at) AS day, queue, team_id, agent_id,
           count(*) AS responses,
           count(csat) AS csat_responses,
           round(100.0 * count(*) FILTER (WHERE csat_top2) / nullif(count(csat), 0), 2)::float8
               AS csat_pct,
           count(nps) AS nps_responses,
           round(100.0 * (count(*) FILTER (WHERE nps_category = 'promoter')
                 - count(*) FILTER (WHERE nps_category = 'detractor')) / nullif(count(nps), 0),
                 2)::float8 AS nps,
           round(avg(ces)::numeric, 2)::float8 AS ces
    FROM reporting.survey_facts GROUP BY 1, queue, team_id, agent_id;
    COMMENT ON COLUMN reporting.survey_daily.csat_pct IS $${KPI["csat_pct"]}$$;
    COMMENT ON COLUMN reporting.survey_daily.nps IS $${KPI["nps"]}$$;
    COMMENT ON COLUMN reporting.survey_daily.ces IS $${KPI["ces"]}$$;

    CREATE VIEW reporting.complaints_daily AS
    SELECT date_trunc('day', raised_at) AS day, category, coalesce(queue, '') AS queue,
           count(*) AS complaints,
           count(resolved_at) AS resolved,
           count(*) FILTER (WHERE resolved_at <= resolve_by) AS resolved_within_target,
           round((avg(extract(epoch FROM resolved_at - raised_at)) / 3600)::numeric, 1)::float8
               AS resolution_hours_avg,
           count(*) FILTER (WHERE resolved_at IS NULL AND resolve_by < now()) AS overdue_open
    FROM reporting.complaint_facts WHERE raised_at IS NOT NULL
    GROUP BY 1, category, coalesce(queue, '');
    COMMENT ON COLUMN reporting.complaints_daily.resolution_hours_avg
        IS $${KPI["complaint_resolution_hours"]}$$;

    CREATE VIEW reporting.complaint_rate_daily AS
    WITH contacts AS (
        SELECT date_trunc('day', interval_start) AS day, queue, sum(offered) AS offered
        FROM reporting.interval_counters GROUP BY 1, queue),
    complaints AS (
        SELECT date_trunc('day', raised_at) AS day, queue, count(*) AS complaints
        FROM reporting.complaint_facts WHERE raised_at IS NOT NULL AND queue IS NOT NULL
        GROUP BY 1, queue)
    SELECT c.day, c.queue, c.offered::bigint AS contacts,
           coalesce(k.complaints, 0)::bigint AS complaints,
           round(1000.0 * coalesce(k.complaints, 0) / nullif(c.offered, 0), 2)::float8
               AS complaints_per_1000
    FROM contacts c LEFT JOIN complaints k USING (day, queue);
    COMMENT ON COLUMN reporting.complaint_rate_daily.complaints_per_1000
        IS $${KPI["complaints_per_1000"]}$$;

    CREATE VIEW reporting.actions_summary AS
    SELECT kind, scope_type, team_id,
           count(*) FILTER (WHERE status IN ('raised', 'acknowledged', 'in_progress')) AS open,
           count(*) FILTER (WHERE status IN ('raised', 'acknowledged', 'in_progress')
                            AND due_at < now()) AS overdue,
           count(*) FILTER (WHERE status = 'evaluated') AS evaluated,
           count(*) AS total
    FROM reporting.actions GROUP BY kind, scope_type, team_id;
    """)


def downgrade() -> None:
    execute_script("""
    DROP VIEW reporting.actions_summary; DROP VIEW reporting.complaint_rate_daily;
    DROP VIEW reporting.complaints_daily; DROP VIEW reporting.survey_daily;
    DROP TABLE reporting.complaint_facts; DROP TABLE reporting.survey_facts;
    """)
