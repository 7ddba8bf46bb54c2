"""A team leader sees their team's alerts and those naming no person, never another team's
agent; the SQL rule (run on real Postgres in the integration tests) is built from the same
contracts constants."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from contracts.actions import IMPERSONAL_SCOPES, ScopeType, team_sees_alert_sql
from services.actions.alerting.domain.alerts import critical_alert
from services.actions.alerting.domain.visibility import team_of, visible

teams = st.sampled_from(["t1", "t2"])


@given(st.sampled_from(list(ScopeType)), st.one_of(st.none(), teams), st.one_of(st.none(), teams))
def test_visibility(scope: ScopeType, alert_team: str | None, viewer: str | None) -> None:
    seen = visible(scope.value, alert_team, viewer)
    if viewer is None or scope in IMPERSONAL_SCOPES:
        assert seen
    else:
        assert seen is (alert_team == viewer)


def test_a_critical_breach_belongs_to_the_agents_team() -> None:
    alert = critical_alert("a1", "t1", "i-1", datetime(2026, 12, 1, tzinfo=UTC))
    assert team_of(alert) == "t1"
    assert not visible(alert.scope.type.value, team_of(alert), "t2")
    assert all(f"'{s.value}'" in team_sees_alert_sql(3) for s in IMPERSONAL_SCOPES)
