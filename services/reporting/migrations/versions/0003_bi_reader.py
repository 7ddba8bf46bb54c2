"""Reporting: the read-only `bi_reader` role — aggregate views only, never event-grain tables
(which hold free text and individual monitoring records).

BI tools connect as a login role granted `bi_reader`, e.g.
`CREATE ROLE metabase LOGIN PASSWORD '...' IN ROLE bi_reader;`

Revision ID: reporting_0003
"""

from runtime.alembic_env import execute_script

revision = "reporting_0003"
down_revision = "reporting_0002"

VIEWS = (
    "kpi_15min",
    "kpi_hourly",
    "kpi_daily",
    "qa_daily",
    "survey_daily",
    "complaints_daily",
    "complaint_rate_daily",
    "actions_summary",
)


def upgrade() -> None:
    grants = "\n".join(f"GRANT SELECT ON reporting.{v} TO bi_reader;" for v in VIEWS)
    execute_script(f"""
    DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bi_reader') THEN
            CREATE ROLE bi_reader NOLOGIN;
        END IF;
    END $$;
    GRANT USAGE ON SCHEMA reporting TO bi_reader;
    REVOKE ALL ON ALL TABLES IN SCHEMA reporting FROM bi_reader;
    {grants}
    """)


def downgrade() -> None:
    execute_script(
        "REVOKE ALL ON ALL TABLES IN SCHEMA reporting FROM bi_reader;"
        "REVOKE USAGE ON SCHEMA reporting FROM bi_reader;"
    )
