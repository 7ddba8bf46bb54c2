"""Ingest: which source system owns each event id (the first to report it).

An id first reported by one source is never replaced by another source's key; the same source
may resend it (the idempotency contract). One row per accepted event id, about 170 bytes with
its primary-key entry; retention is a later concern (the BRIN index on `first_seen` keeps an
age-based purge cheap at almost no write cost).

Revision ID: ingest_0002
"""

from runtime.alembic_env import execute_script

revision = "ingest_0002"
down_revision = "ingest_0001"


def upgrade() -> None:
    # COLLATE "C": ids are compared byte for byte (faster than a locale, and exact).
    execute_script("""
    CREATE TABLE ingest.event_owners (
        event_id text COLLATE "C" PRIMARY KEY,
        source text NOT NULL,
        first_seen timestamptz NOT NULL DEFAULT now());
    CREATE INDEX event_owners_first_seen ON ingest.event_owners USING brin (first_seen);
    """)


def downgrade() -> None:
    execute_script("DROP TABLE ingest.event_owners")
