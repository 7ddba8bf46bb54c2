"""Actions: observations (window state), actions, outbox, exactly-once bookkeeping.

Revision ID: actions_0001
"""

from runtime.alembic_env import execute_script
from runtime.exactly_once import ddl

revision = "actions_0001"
down_revision = None


def upgrade() -> None:
    execute_script(ddl("actions"))
    execute_script("""
    CREATE TABLE actions.observations (
        event_id text NOT NULL, metric text NOT NULL,
        agent_id text NOT NULL, team_id text, queue text,
        observed_at timestamptz NOT NULL, value double precision NOT NULL,
        critical_failed boolean NOT NULL, evidence_id text NOT NULL,
        passed text[] NOT NULL DEFAULT '{}', failed text[] NOT NULL DEFAULT '{}',
        PRIMARY KEY (event_id, metric));
    CREATE INDEX observations_window ON actions.observations (metric, agent_id, observed_at DESC);
    CREATE INDEX observations_team ON actions.observations (metric, team_id, observed_at DESC);

    CREATE TABLE actions.actions (
        action_id text PRIMARY KEY, kind text NOT NULL, rule_id text NOT NULL,
        rule_version text NOT NULL, trigger text NOT NULL,
        scope_type text NOT NULL, scope_id text NOT NULL, team_id text,
        metric text NOT NULL, observed double precision NOT NULL,
        threshold double precision NOT NULL, window_size int NOT NULL,
        status text NOT NULL DEFAULT 'raised', summary text NOT NULL,
        payload jsonb NOT NULL, due_at timestamptz NOT NULL, raised_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        done_at timestamptz, closed_at timestamptz, escalated_at timestamptz,
        evaluation jsonb);
    CREATE INDEX actions_due ON actions.actions (due_at) WHERE escalated_at IS NULL
        AND status IN ('raised', 'acknowledged', 'in_progress');
    CREATE INDEX actions_done ON actions.actions (done_at) WHERE status = 'done';
    -- One open action per rule and scope: a redelivered or repeated breach raises nothing new.
    CREATE UNIQUE INDEX actions_one_open ON actions.actions (rule_id, scope_type, scope_id)
        WHERE status IN ('raised', 'acknowledged', 'in_progress');

    -- Operational alerts: one open incident per kind and scope (grouping: no storms).
    CREATE TABLE actions.alerts (
        alert_id text PRIMARY KEY, kind text NOT NULL, scope_type text NOT NULL,
        scope_id text NOT NULL, severity text NOT NULL, metric text NOT NULL,
        observed double precision NOT NULL, target double precision NOT NULL,
        interval_start timestamptz NOT NULL, message text NOT NULL,
        raised_at timestamptz NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(), occurrences int NOT NULL DEFAULT 1,
        resolved_at timestamptz, payload jsonb NOT NULL);
    CREATE UNIQUE INDEX alerts_one_open ON actions.alerts (kind, scope_type, scope_id)
        WHERE resolved_at IS NULL;
    CREATE INDEX alerts_created ON actions.alerts (created_at);
    CREATE TABLE actions.queue_intervals (
        queue text NOT NULL, interval_start timestamptz NOT NULL,
        sl_offered bigint NOT NULL DEFAULT 0, within bigint NOT NULL DEFAULT 0,
        offered bigint NOT NULL DEFAULT 0, abandoned bigint NOT NULL DEFAULT 0,
        sl_target double precision, abandonment_target double precision,
        PRIMARY KEY (queue, interval_start));
    CREATE TABLE actions.complaint_days (
        category text NOT NULL, day date NOT NULL, complaints int NOT NULL DEFAULT 0,
        PRIMARY KEY (category, day));
    -- Webhook deliveries (retried with backoff) and every attempt made.
    CREATE TABLE actions.deliveries (
        delivery_id bigserial PRIMARY KEY, alert_id text NOT NULL, url text NOT NULL,
        body bytea NOT NULL, attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(), delivered_at timestamptz,
        failed_at timestamptz, UNIQUE (alert_id, url));
    CREATE INDEX deliveries_due ON actions.deliveries (next_attempt_at)
        WHERE delivered_at IS NULL AND failed_at IS NULL;
    CREATE TABLE actions.delivery_log (
        delivery_id bigint NOT NULL, attempt int NOT NULL, at timestamptz NOT NULL,
        status_code int, error text, PRIMARY KEY (delivery_id, attempt));

    -- Transactional outbox: events written with the state change, published after commit.
    CREATE TABLE actions.outbox (
        seq bigserial PRIMARY KEY, topic text NOT NULL, key bytea NOT NULL,
        value bytea NOT NULL, headers jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(), published_at timestamptz);
    CREATE INDEX outbox_unpublished ON actions.outbox (seq) WHERE published_at IS NULL;
    """)


def downgrade() -> None:
    execute_script("DROP SCHEMA actions CASCADE")
