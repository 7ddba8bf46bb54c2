"""Who may call what in actions: its endpoints in the platform's role x endpoint matrix.
Pure data; roles, scopes and row narrowing are the shared kit's (`runtime.identity`).

An agent reads the coaching addressed to them; a team leader reads and moves their team's
actions and sees their team's alerts (plus operational ones naming no person); operations
managers see and move everything. QA evaluators, BI readers and admins get nothing here.
"""

from __future__ import annotations

from runtime.identity import Role, Scope

OWN, TEAM, ALL = Scope.OWN, Scope.TEAM, Scope.ALL
READ = {Role.AGENT: OWN, Role.TEAM_LEADER: TEAM, Role.OPS_MANAGER: ALL}
MANAGE = {Role.TEAM_LEADER: TEAM, Role.OPS_MANAGER: ALL}
POLICY = {
    "actions.list": READ,
    "actions.get": READ,
    "actions.transition": MANAGE,
    "alerts.list": MANAGE,
    "alerts.stream": MANAGE,
}
