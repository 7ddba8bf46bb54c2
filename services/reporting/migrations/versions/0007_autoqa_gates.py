"""The AutoQA trust gate per automated criterion, as its latest `autoqa.gate_changed` event
left it: the dashboard lists the criteria whose automated answers raise nothing.

Revision ID: reporting_0007
"""

from runtime.alembic_env import execute_script

revision = "reporting_0007"
down_revision = "reporting_0006"


def upgrade() -> None:
    execute_script("""
    CREATE TABLE reporting.autoqa_gates (
        criterion_id text PRIMARY KEY, scorecard_id text NOT NULL,
        state text NOT NULL, previous text NOT NULL, since timestamptz NOT NULL,
        reason text NOT NULL, pairs int NOT NULL,
        kappa double precision, kappa_low double precision, kappa_high double precision,
        false_pass_rate double precision, false_fail_rate double precision,
        event_id text NOT NULL);
    COMMENT ON TABLE reporting.autoqa_gates IS
        'Per automated criterion: trusted (its answers feed rules and alerts) or unverified '
        '(agreement with human evaluators below the bar: shown, raise nothing), since when.';
    """)


def downgrade() -> None:
    execute_script("DROP TABLE reporting.autoqa_gates;")
