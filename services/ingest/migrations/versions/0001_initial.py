"""Ingest: API keys (one per source system, stored hashed) and backfill checkpoints.

Revision ID: ingest_0001
"""

from runtime.alembic_env import execute_script

revision = "ingest_0001"
down_revision = None


def upgrade() -> None:
    execute_script("""
    CREATE TABLE ingest.api_keys (
        key_id text PRIMARY KEY,
        source text NOT NULL,
        secret_sha256 text NOT NULL,
        allowed_types text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        note text);
    CREATE INDEX api_keys_source ON ingest.api_keys (source);
    """)


def downgrade() -> None:
    execute_script("DROP SCHEMA ingest CASCADE")
