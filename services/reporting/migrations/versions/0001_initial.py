"""Reporting: event-grain facts, 15-minute counters, BI views with KPI comments, actions.

Revision ID: reporting_0001
"""

from runtime.alembic_env import execute_script
from runtime.exactly_once import ddl
from services.reporting.domain.definitions import KPI

revision = "reporting_0001"
down_revision = None

COUNTER_COLS = """
    offered bigint NOT NULL DEFAULT 0, sl_offered bigint NOT NULL DEFAULT 0,
    answered bigint NOT NULL DEFAULT 0, abandoned bigint NOT NULL DEFAULT 0,
    answered_within_threshold bigint NOT NULL DEFAULT 0,
    wait_answered_s double precision NOT NULL DEFAULT 0, handled bigint NOT NULL DEFAULT 0,
    handle_s double precision NOT NULL DEFAULT 0, hold_s double precision NOT NULL DEFAULT 0,
    transferred bigint NOT NULL DEFAULT 0, fcr_known bigint NOT NULL DEFAULT 0,
    fcr_yes bigint NOT NULL DEFAULT 0, auto_qa_n bigint NOT NULL DEFAULT 0,
    auto_qa_sum double precision NOT NULL DEFAULT 0, auto_critical_fails bigint NOT NULL DEFAULT 0
"""

KPI_SELECT = """
    sum(offered)::bigint AS offered, sum(answered)::bigint AS answered,
    sum(abandoned)::bigint AS abandoned,
    sum(answered_within_threshold)::bigint AS answered_within_threshold,
    round(100.0 * sum(answered_within_threshold) / nullif(sum(sl_offered), 0), 2)::float8
        AS service_level_pct,
    round((sum(wait_answered_s) / nullif(sum(answered), 0))::numeric, 1)::float8 AS asa_seconds,
    round((sum(handle_s) / nullif(sum(handled), 0))::numeric, 1)::float8 AS aht_seconds,
    round((sum(hold_s) / nullif(sum(handled), 0))::numeric, 1)::float8 AS hold_seconds_avg,
    round(100.0 * sum(abandoned) / nullif(sum(offered), 0), 2)::float8 AS abandonment_pct,
    round(100.0 * sum(transferred) / nullif(sum(handled), 0), 2)::float8 AS transfer_pct,
    round(100.0 * sum(fcr_yes) / nullif(sum(fcr_known), 0), 2)::float8 AS fcr_pct,
    round((sum(auto_qa_sum) / nullif(sum(auto_qa_n), 0))::numeric, 2)::float8 AS auto_qa_score,
    sum(auto_critical_fails)::bigint AS critical_fails
"""


INTERVAL_KPIS = (
    "offered",
    "answered",
    "abandoned",
    "answered_within_threshold",
    "service_level_pct",
    "asa_seconds",
    "aht_seconds",
    "hold_seconds_avg",
    "abandonment_pct",
    "transfer_pct",
    "fcr_pct",
    "auto_qa_score",
    "critical_fails",
)


def _view(name: str, bucket: str) -> str:
    return f"""
    CREATE VIEW reporting.{name} AS
    SELECT {bucket} AS interval_start, channel, queue, team_id, agent_id, {KPI_SELECT}
    FROM reporting.interval_counters
    GROUP BY 1, channel, queue, team_id, agent_id;
    """


def _comments(view: str) -> str:
    return "\n".join(
        f"COMMENT ON COLUMN reporting.{view}.{col} IS $${KPI[col]}$$;" for col in INTERVAL_KPIS
    )


def upgrade() -> None:
    execute_script(ddl("reporting"))
    execute_script(f"""
    CREATE TABLE reporting.interaction_facts (
        interaction_id text PRIMARY KEY, event_id text NOT NULL, event_time timestamptz NOT NULL,
        interval_start timestamptz NOT NULL, channel text NOT NULL, queue text NOT NULL,
        team_id text NOT NULL, agent_id text NOT NULL, counters double precision[] NOT NULL);
    CREATE INDEX interaction_facts_interval ON reporting.interaction_facts (interval_start);

    CREATE TABLE reporting.interval_counters (
        interval_start timestamptz NOT NULL, channel text NOT NULL, queue text NOT NULL,
        team_id text NOT NULL, agent_id text NOT NULL, {COUNTER_COLS},
        PRIMARY KEY (interval_start, channel, queue, team_id, agent_id));

    CREATE TABLE reporting.evaluation_facts (
        evaluation_id text PRIMARY KEY, event_id text NOT NULL, interaction_id text NOT NULL,
        agent_id text NOT NULL, team_id text NOT NULL, evaluator_id text NOT NULL,
        method text NOT NULL, scorecard_id text NOT NULL, scorecard_version text NOT NULL,
        standard_version text NOT NULL, score double precision NOT NULL,
        critical_failed boolean NOT NULL, calibration_session_id text,
        counts_toward_agent boolean NOT NULL, evaluated_at timestamptz NOT NULL);
    CREATE INDEX evaluation_facts_time ON reporting.evaluation_facts (evaluated_at);

    CREATE TABLE reporting.actions (
        action_id text PRIMARY KEY, kind text NOT NULL, rule_id text NOT NULL,
        scope_type text NOT NULL, scope_id text NOT NULL, team_id text,
        metric text NOT NULL, observed double precision NOT NULL,
        threshold double precision NOT NULL, status text NOT NULL, summary text NOT NULL,
        owner text, due_at timestamptz NOT NULL, raised_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL, payload jsonb NOT NULL);

    {_view("kpi_15min", "interval_start")}
    {_view("kpi_hourly", "date_trunc('hour', interval_start)")}
    {_view("kpi_daily", "date_trunc('day', interval_start)")}
    {_comments("kpi_15min")}
    {_comments("kpi_hourly")}
    {_comments("kpi_daily")}

    CREATE VIEW reporting.qa_daily AS
    SELECT date_trunc('day', evaluated_at) AS day, team_id, agent_id,
           count(*) AS evaluations, round(avg(score)::numeric, 2)::float8 AS qa_score,
           count(*) FILTER (WHERE critical_failed) AS critical_fails
    FROM reporting.evaluation_facts WHERE counts_toward_agent
    GROUP BY 1, team_id, agent_id;
    COMMENT ON COLUMN reporting.qa_daily.qa_score IS $${KPI["qa_score"]}$$;
    """)


def downgrade() -> None:
    execute_script("DROP SCHEMA reporting CASCADE")
