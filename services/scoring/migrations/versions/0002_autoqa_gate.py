"""Scoring: the AutoQA trust gate — when each human answer was given (the gate's window is
timed by the evaluations) and each automated criterion's gate.

Revision ID: scoring_0002
"""

from runtime.alembic_env import execute_script

revision = "scoring_0002"
down_revision = "scoring_0001"


def upgrade() -> None:
    execute_script("""
    ALTER TABLE scoring.criterion_answers ADD COLUMN human_at timestamptz;
    -- Answers recorded before this revision: the time they were stored stands in.
    UPDATE scoring.criterion_answers SET human_at = updated_at WHERE human_answer IS NOT NULL;
    -- A criterion's latest pairs (both sides answered), newest first.
    CREATE INDEX criterion_answers_pairs
        ON scoring.criterion_answers (criterion_id, human_at DESC, interaction_id DESC)
        WHERE auto_answer IS NOT NULL AND human_answer IS NOT NULL;

    -- Per automated criterion: trusted (its answers feed rules and alerts) or unverified,
    -- since when, why, the agreement it was judged on, and the last change as published.
    CREATE TABLE scoring.autoqa_gates (
        criterion_id text PRIMARY KEY,
        state text NOT NULL CHECK (state IN ('trusted', 'unverified')),
        since timestamptz NOT NULL, reason text NOT NULL, agreement jsonb NOT NULL,
        last_change jsonb, changed_by text[] NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL DEFAULT now());
    """)


def downgrade() -> None:
    execute_script("""
    DROP TABLE scoring.autoqa_gates;
    DROP INDEX scoring.criterion_answers_pairs;
    ALTER TABLE scoring.criterion_answers DROP COLUMN human_at;
    """)
