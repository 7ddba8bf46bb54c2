"""Alerts carry the team they are about (contract field `team_id`), so a team leader sees
their own team's alerts and those that name no person only.

Revision ID: reporting_0006
"""

from runtime.alembic_env import execute_script

revision = "reporting_0006"
down_revision = "reporting_0005"


def upgrade() -> None:
    execute_script("""
    ALTER TABLE reporting.alerts ADD COLUMN team_id text;
    UPDATE reporting.alerts SET team_id = scope_id WHERE scope_type = 'team';
    """)


def downgrade() -> None:
    execute_script("ALTER TABLE reporting.alerts DROP COLUMN team_id;")
