"""Who may read what: roles, the endpoint matrix and row scoping. Pure.

- agent: their own records and KPIs;
- team_leader: their team's;
- ops_manager: everything, including the access log;
- bi_reader: aggregates only (KPIs), never an individual record.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    AGENT = "agent"
    TEAM_LEADER = "team_leader"
    OPS_MANAGER = "ops_manager"
    BI_READER = "bi_reader"


ALL = frozenset(Role)
MATRIX: dict[str, frozenset[Role]] = {
    "kpis": ALL,
    "experience": ALL,
    "targets": ALL,
    "actions": frozenset({Role.AGENT, Role.TEAM_LEADER, Role.OPS_MANAGER}),
    "evaluations": frozenset({Role.AGENT, Role.TEAM_LEADER, Role.OPS_MANAGER}),
    "evaluation": frozenset({Role.AGENT, Role.TEAM_LEADER, Role.OPS_MANAGER}),
    "alerts": frozenset({Role.TEAM_LEADER, Role.OPS_MANAGER}),
    "dashboard": frozenset({Role.TEAM_LEADER, Role.OPS_MANAGER}),
    "access_log": frozenset({Role.OPS_MANAGER}),
}
SUBJECT_REQUIRED = {Role.AGENT: "agent id", Role.TEAM_LEADER: "team id"}


class Denied(Exception):
    """A 403: the reason names what the caller's role does not allow."""


@dataclass(frozen=True, slots=True)
class Principal:
    token_id: str
    role: Role
    subject: str | None  # the agent id (agent) or team id (team leader)

    def may(self, endpoint: str) -> bool:
        return self.role in MATRIX[endpoint]


@dataclass(frozen=True, slots=True)
class RowScope:
    """Filters forced onto a query: None means unrestricted."""

    team_id: str | None
    agent_id: str | None


def scope_rows(p: Principal, team_id: str | None, agent_id: str | None) -> RowScope:
    """The caller's requested filters narrowed to what their role may see, or Denied."""
    if p.role is Role.AGENT:
        if agent_id not in (None, p.subject):
            raise Denied(f"an agent may read only their own records ({p.subject})")
        return RowScope(team_id, p.subject)
    if p.role is Role.TEAM_LEADER:
        if team_id not in (None, p.subject):
            raise Denied(f"a team leader may read only their own team ({p.subject})")
        return RowScope(p.subject, agent_id)
    return RowScope(team_id, agent_id)


def may_read_record(p: Principal, agent_id: str, team_id: str | None) -> bool:
    if p.role is Role.AGENT:
        return agent_id == p.subject
    if p.role is Role.TEAM_LEADER:
        return team_id == p.subject
    return p.role is Role.OPS_MANAGER
