"""Who may call what, across every service: roles, scopes and row narrowing. Pure.

A principal is a person or tool with one role and, for the personal roles, a subject:
- agent: their own records (subject = agent id);
- team_leader: their team's (subject = team id);
- qa_evaluator: the evaluations they wrote and their calibration (subject = evaluator id);
- ops_manager: everything operational and every record;
- bi_reader: aggregates only, never an individual record;
- admin: operations of the platform (consumers, dead letters, tokens), no personal records.
Each service declares a policy: endpoint name -> {role: scope}. A role absent from an
endpoint's entry is refused (403); PUBLIC endpoints carry no data and need no token.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    AGENT = "agent"
    TEAM_LEADER = "team_leader"
    QA_EVALUATOR = "qa_evaluator"
    OPS_MANAGER = "ops_manager"
    BI_READER = "bi_reader"
    ADMIN = "admin"


class Scope(StrEnum):
    OWN = "own"  # the agent's own rows, or the evaluator's own evaluations
    TEAM = "team"  # the team leader's team
    ALL = "all"


SUBJECT_REQUIRED = {
    Role.AGENT: "agent id",
    Role.TEAM_LEADER: "team id",
    Role.QA_EVALUATOR: "evaluator id",
}
# The scope a role's subject can express: anything narrower is meaningless, anything wider
# must be ALL.
_SCOPES_OF = {
    Role.AGENT: {Scope.OWN, Scope.ALL},
    Role.TEAM_LEADER: {Scope.TEAM, Scope.ALL},
    Role.QA_EVALUATOR: {Scope.OWN, Scope.ALL},
    Role.OPS_MANAGER: {Scope.ALL},
    Role.BI_READER: {Scope.ALL},
    Role.ADMIN: {Scope.ALL},
}

Policy = Mapping[str, Mapping[Role, Scope]]


class PolicyError(ValueError):
    """A policy that cannot be enforced (a scope the role's subject cannot express)."""


class Denied(Exception):
    """A 403: the reason names what the caller's role does not allow."""


@dataclass(frozen=True, slots=True)
class Principal:
    token_id: str  # the local token's id, or the JWT's `jti`/`sub`
    role: Role
    subject: str | None
    label: str = ""

    @property
    def actor(self) -> str:
        """An id-safe name for event fields such as `by`: role and subject, else the token."""
        return f"{self.role.value}:{self.subject or self.token_id}"[:128]

    @property
    def who(self) -> str:
        """How the access log and action history name this caller."""
        subject = f":{self.subject}" if self.subject else ""
        return f"{self.role.value}{subject} ({self.token_id})"


@dataclass(frozen=True, slots=True)
class RowScope:
    """Filters forced onto a query: None means unrestricted."""

    team_id: str | None = None
    agent_id: str | None = None
    evaluator_id: str | None = None


def check_policy(policy: Policy) -> None:
    for endpoint, grants in policy.items():
        for role, scope in grants.items():
            if scope not in _SCOPES_OF[role]:
                raise PolicyError(f"{endpoint}: role {role.value} cannot have scope {scope.value}")


def scope_of(policy: Policy, endpoint: str, p: Principal) -> Scope | None:
    return policy[endpoint].get(p.role)


def narrow(
    p: Principal, scope: Scope, team_id: str | None = None, agent_id: str | None = None
) -> RowScope:
    """The caller's requested filters narrowed to their scope, or Denied naming the reason."""
    if scope is Scope.ALL:
        return RowScope(team_id, agent_id)
    if scope is Scope.TEAM:
        if team_id not in (None, p.subject):
            raise Denied(f"a team leader may read only their own team ({p.subject})")
        return RowScope(p.subject, agent_id)
    if p.role is Role.QA_EVALUATOR:
        return RowScope(team_id, agent_id, evaluator_id=p.subject)
    if agent_id not in (None, p.subject):
        raise Denied(f"an agent may read only their own records ({p.subject})")
    return RowScope(team_id, p.subject)


def may_read(
    p: Principal,
    scope: Scope,
    agent_id: str | None,
    team_id: str | None,
    evaluator_id: str | None = None,
) -> bool:
    """Whether one record (its agent, team and evaluator) is inside the caller's scope."""
    if scope is Scope.ALL:
        return True
    if scope is Scope.TEAM:
        return team_id is not None and team_id == p.subject
    if p.role is Role.QA_EVALUATOR:
        return evaluator_id is not None and evaluator_id == p.subject
    return agent_id is not None and agent_id == p.subject


def ensure_subject(role: Role, subject: str | None) -> None:
    if role in SUBJECT_REQUIRED and not subject:
        raise ValueError(f"role {role.value} needs a subject (the {SUBJECT_REQUIRED[role]})")


def grants(*roles: Role, scope: Scope = Scope.ALL) -> dict[Role, Scope]:
    """Shorthand for a policy entry: the same scope for several roles."""
    return {r: scope for r in roles}


def merged(*policies: Policy) -> dict[str, Mapping[Role, Scope]]:
    out: dict[str, Mapping[Role, Scope]] = {}
    for policy in policies:
        for endpoint, entry in policy.items():
            if endpoint in out:
                raise PolicyError(f"endpoint {endpoint} declared twice")
            out[endpoint] = entry
    return out
