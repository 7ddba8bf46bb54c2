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
    """)


def downgrade() -> None:
    execute_script("DROP TABLE identity.access_log; DROP TABLE identity.tokens;")
