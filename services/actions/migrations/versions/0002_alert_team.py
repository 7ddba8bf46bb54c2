"""Alerts carry the team they are about, so team leaders see their own team's only.

Revision ID: actions_0002
"""

from runtime.alembic_env import execute_script

revision = "actions_0002"
down_revision = "actions_0001"


def upgrade() -> None:
    execute_script("""
    ALTER TABLE actions.alerts ADD COLUMN team_id text;
    UPDATE actions.alerts SET team_id = scope_id WHERE scope_type = 'team';
    UPDATE actions.alerts SET team_id = payload->>'team_id'
     WHERE team_id IS NULL AND payload->>'team_id' IS NOT NULL;
    CREATE INDEX alerts_team ON actions.alerts (team_id, created_at);
    """)


def downgrade() -> None:
    execute_script(
        "DROP INDEX actions.alerts_team; ALTER TABLE actions.alerts DROP COLUMN team_id;"
    )
