"""Which alerts a team leader sees: their team's (an agent of theirs, or the team itself) and
the operational ones that name no person (a queue's service level, a complaint category).
The rule is the contracts' (`contracts.actions`), so reporting applies the same one."""

from __future__ import annotations

from contracts.actions import IMPERSONAL_SCOPES, alert_team, team_sees_alert_sql

team_of = alert_team
sql = team_sees_alert_sql
_IMPERSONAL = {t.value for t in IMPERSONAL_SCOPES}


def visible(scope_type: str, alert_team: str | None, team: str | None) -> bool:
    """`team` None: no restriction (operations)."""
    return team is None or alert_team == team or scope_type in _IMPERSONAL
