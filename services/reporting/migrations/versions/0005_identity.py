"""Reporting's API tokens and access log move to the platform's shared `identity` schema
(one token works on every service; one log of every individual record read, whichever
service served it). Rows are copied, then reporting's own tables dropped, so no stale token
can keep working. Runtime migrates `identity` before any service schema.

Revision ID: reporting_0005
"""

from runtime.alembic_env import execute_script

revision = "reporting_0005"
down_revision = "reporting_0004"


def upgrade() -> None:
    # Copied only when there is something to copy: a service role may append to the access
    # log but not issue tokens, and a fresh install has neither.
    execute_script("""
    DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM reporting.api_tokens) THEN
        INSERT INTO identity.tokens (token_id, token_sha256, role, subject, label, created_at,
                                     revoked_at)
        SELECT token_id, token_sha256, role, subject, label, created_at, revoked_at
          FROM reporting.api_tokens
        ON CONFLICT DO NOTHING;
      END IF;
      IF EXISTS (SELECT 1 FROM reporting.access_log) THEN
        INSERT INTO identity.access_log (at, token_id, role, subject, service, record_type,
                                         record_id, agent_id, path)
        SELECT at, token_id, role, subject, 'reporting', record_type, record_id, agent_id,
               path
          FROM reporting.access_log ORDER BY id;
      END IF;
    END $$;
    DROP TABLE reporting.access_log;
    DROP TABLE reporting.api_tokens;
    """)


def downgrade() -> None:
    execute_script("""
    CREATE TABLE reporting.api_tokens (
        token_id text PRIMARY KEY, token_sha256 text NOT NULL UNIQUE, role text NOT NULL,
        subject text, label text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz);
    CREATE TABLE reporting.access_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(), token_id text NOT NULL, role text NOT NULL,
        subject text, record_type text NOT NULL, record_id text NOT NULL,
        agent_id text, path text NOT NULL);
    """)
