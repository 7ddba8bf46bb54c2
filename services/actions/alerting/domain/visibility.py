"""Which alerts a team leader sees: their team's (an agent of theirs, or the team itself) and
the operational ones that name no person (a queue's service level, a complaint category)."""

from __future__ import annotations

from contracts.actions import AlertRaised, ScopeType

OPERATIONAL = (ScopeType.QUEUE.value, ScopeType.CHANNEL.value, ScopeType.COMPLAINT_CATEGORY.value)


def team_of(a: AlertRaised) -> str | None:
    """The team an alert belongs to, stored with it."""
    return a.team_id or (a.scope.id if a.scope.type is ScopeType.TEAM else None)


def visible(scope_type: str, alert_team: str | None, team: str | None) -> bool:
    """`team` None: no restriction (operations)."""
    return team is None or alert_team == team or scope_type in OPERATIONAL


# The same rule in SQL, with the caller's team as the parameter `$n`.
def sql(n: int) -> str:
    operational = ", ".join(f"'{t}'" for t in OPERATIONAL)
    return f"(${n}::text IS NULL OR team_id = ${n} OR scope_type IN ({operational}))"
