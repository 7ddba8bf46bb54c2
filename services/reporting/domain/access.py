"""Who may read what in reporting: its endpoints in the platform's role x endpoint matrix.
Pure data; the roles, scopes and row narrowing are the shared kit's (`runtime.identity`).

- agent: their own records and KPIs; team_leader: their team's;
- qa_evaluator: aggregates, and the evaluations they wrote (calibration included);
- ops_manager: everything, including the access log;
- bi_reader: aggregates only (KPIs), never an individual record;
- admin: targets and the access log (an auditor's view), no monitoring records.
"""

from __future__ import annotations

from runtime.identity import Role, Scope

A, TL, QA, OPS, BI, ADMIN = (
    Role.AGENT,
    Role.TEAM_LEADER,
    Role.QA_EVALUATOR,
    Role.OPS_MANAGER,
    Role.BI_READER,
    Role.ADMIN,
)
OWN, TEAM, ALL = Scope.OWN, Scope.TEAM, Scope.ALL

AGGREGATES = {A: OWN, TL: TEAM, QA: ALL, OPS: ALL, BI: ALL}
RECORDS = {A: OWN, TL: TEAM, QA: OWN, OPS: ALL}
POLICY = {
    "reporting.kpis": AGGREGATES,
    "reporting.experience": AGGREGATES,
    "reporting.targets": {A: ALL, TL: ALL, QA: ALL, OPS: ALL, BI: ALL, ADMIN: ALL},
    "reporting.evaluations": RECORDS,
    "reporting.evaluation": RECORDS,
    "reporting.actions": {A: OWN, TL: TEAM, OPS: ALL},
    "reporting.alerts": {TL: TEAM, OPS: ALL},
    "reporting.dashboard": {TL: TEAM, OPS: ALL},
    "reporting.access_log": {OPS: ALL, ADMIN: ALL},
}
