"""Identity shared by every service: local tokens by role and the access log of individual
records. Every service migrates this schema at start (serialised by an advisory lock).

Revision ID: identity_0001
"""

from runtime.alembic_env import execute_script

revision = "identity_0001"
down_revision = None


def upgrade() -> None:
    execute_script("""
    CREATE TABLE identity.tokens (
        token_id text PRIMARY KEY, token_sha256 text NOT NULL UNIQUE, role text NOT NULL,
        subject text, label text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz, revoked_at timestamptz);
    CREATE TABLE identity.access_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(), token_id text NOT NULL, role text NOT NULL,
        subject text, service text NOT NULL, record_type text NOT NULL,
        record_id text NOT NULL, agent_id text, path text NOT NULL);
    CREATE INDEX access_log_at ON identity.access_log (at);
    CREATE INDEX access_log_agent ON identity.access_log (agent_id, at);

    -- Where each service has a role of its own (ql_<service>, deploy/local/stack.sh), it may
    -- read tokens and append to the access log; only reporting reads the log back. Nobody
    -- but the owner (the administrator's tools) issues or revokes tokens.
    DO $$ DECLARE r text; BEGIN
      FOR r IN SELECT rolname FROM pg_roles
               WHERE rolname IN ('ql_ingest', 'ql_scoring', 'ql_actions', 'ql_reporting') LOOP
        EXECUTE format('GRANT USAGE ON SCHEMA identity TO %I', r);
        EXECUTE format('GRANT SELECT ON identity.tokens, identity.alembic_version TO %I', r);
        EXECUTE format('GRANT INSERT ON identity.access_log TO %I', r);
      END LOOP;
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ql_reporting') THEN
        GRANT SELECT ON identity.access_log TO ql_reporting;
      END IF;
    END $$;
    """)


def downgrade() -> None:
    execute_script("DROP TABLE identity.access_log; DROP TABLE identity.tokens;")
