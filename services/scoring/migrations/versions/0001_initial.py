"""Scoring: calibration sessions (latest evaluation per evaluator) and monitoring-plan state.

Revision ID: scoring_0001
"""

from runtime.alembic_env import execute_script

revision = "scoring_0001"
down_revision = None


def upgrade() -> None:
    execute_script("""
    CREATE TABLE scoring.calibration_evaluations (
        session_id text NOT NULL, evaluator_id text NOT NULL,
        evaluation_id text NOT NULL, interaction_id text NOT NULL,
        evaluated_at timestamptz NOT NULL, qa jsonb NOT NULL,
        PRIMARY KEY (session_id, evaluator_id));

    -- Monitoring plans: interactions picked for a human evaluation (one row each), so quotas
    -- hold across batches and restarts, and coverage against plan can be reported.
    CREATE TABLE scoring.assignments (
        plan_id text NOT NULL, interaction_id text NOT NULL, assignment_id text NOT NULL,
        agent_id text NOT NULL, team_id text, channel text NOT NULL, week text NOT NULL,
        reason text NOT NULL, interaction_at timestamptz NOT NULL,
        assigned_at timestamptz NOT NULL DEFAULT now(), due_by timestamptz NOT NULL,
        evaluation_id text, completed_at timestamptz,
        PRIMARY KEY (plan_id, interaction_id));
    CREATE INDEX assignments_quota ON scoring.assignments (plan_id, agent_id, week);
    CREATE INDEX assignments_interaction ON scoring.assignments (interaction_id);

    -- Automated vs human answers per interaction and criterion (whichever arrives first),
    -- so the automated checks' measured error per criterion can be reported.
    CREATE TABLE scoring.criterion_answers (
        interaction_id text NOT NULL, criterion_id text NOT NULL,
        auto_answer text, human_answer text, evaluation_id text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (interaction_id, criterion_id));
    """)


def downgrade() -> None:
    execute_script("DROP SCHEMA scoring CASCADE")
