"""Reporting: alerts and targets for the operations dashboard, action evaluations, API tokens
by role and the access log of individual monitoring records.

Revision ID: reporting_0004
"""

from runtime.alembic_env import execute_script

revision = "reporting_0004"
down_revision = "reporting_0003"


def upgrade() -> None:
    execute_script("""
    ALTER TABLE reporting.actions ADD COLUMN evaluation jsonb;

    CREATE TABLE reporting.alerts (
        alert_id text PRIMARY KEY, kind text NOT NULL, severity text NOT NULL,
        scope_type text NOT NULL, scope_id text NOT NULL, metric text NOT NULL,
        observed double precision NOT NULL, target double precision NOT NULL,
        interval_start timestamptz NOT NULL, message text NOT NULL,
        raised_at timestamptz NOT NULL);
    CREATE INDEX alerts_raised_at ON reporting.alerts (raised_at);

    -- Targets as the standard states them, carried on scored events (latest wins).
    CREATE TABLE reporting.targets (
        scope_type text NOT NULL, scope_id text NOT NULL, kpi text NOT NULL,
        target double precision NOT NULL, as_of timestamptz NOT NULL,
        PRIMARY KEY (scope_type, scope_id, kpi));

    -- Operational tables (not projections: a rebuild leaves them alone).
    CREATE TABLE reporting.api_tokens (
        token_id text PRIMARY KEY, token_sha256 text NOT NULL UNIQUE, role text NOT NULL,
        subject text, label text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz);
    CREATE TABLE reporting.access_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(), token_id text NOT NULL, role text NOT NULL,
        subject text, record_type text NOT NULL, record_id text NOT NULL,
        agent_id text, path text NOT NULL);
    CREATE INDEX access_log_at ON reporting.access_log (at);
    CREATE INDEX access_log_record ON reporting.access_log (record_type, record_id);
    """)


def downgrade() -> None:
    execute_script("""
    DROP TABLE reporting.access_log; DROP TABLE reporting.api_tokens;
    DROP TABLE reporting.targets; DROP TABLE reporting.alerts;
    ALTER TABLE reporting.actions DROP COLUMN evaluation;
    """)
