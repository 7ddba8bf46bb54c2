"""Who may call what in scoring: its endpoints in the platform's role x endpoint matrix.
Pure data; roles and scopes are the shared kit's (`runtime.identity`).

The standard in force is everyone's to read; monitoring coverage is the QA team's and
operations' planning tool (a team leader sees their team's agents); AutoQA's measured
accuracy and trust gate per criterion name no person and are open to whoever judges by them.
"""

from __future__ import annotations

from runtime.identity import Role, Scope

ALL = Scope.ALL
POLICY = {
    "scoring.standard": dict.fromkeys(Role, ALL),
    "scoring.coverage": {
        Role.TEAM_LEADER: Scope.TEAM,
        Role.QA_EVALUATOR: ALL,
        Role.OPS_MANAGER: ALL,
    },
    "scoring.autoqa_accuracy": {
        Role.TEAM_LEADER: ALL,
        Role.QA_EVALUATOR: ALL,
        Role.OPS_MANAGER: ALL,
        Role.BI_READER: ALL,
    },
    "scoring.autoqa_gate": {
        Role.TEAM_LEADER: ALL,
        Role.QA_EVALUATOR: ALL,
        Role.OPS_MANAGER: ALL,
        Role.BI_READER: ALL,
    },
}
