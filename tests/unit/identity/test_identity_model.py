"""The identity model: a caller never reads outside their scope, whatever they ask for."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runtime.identity.model import (
    Denied,
    PolicyError,
    Principal,
    Role,
    Scope,
    check_policy,
    ensure_subject,
    may_read,
    merged,
    narrow,
)

ids = st.one_of(st.none(), st.sampled_from(["a1", "a2", "t1", "t2", "e1", "e2"]))
principals = st.builds(
    Principal,
    token_id=st.just("tok"),
    role=st.sampled_from(list(Role)),
    subject=st.sampled_from(["a1", "t1", "e1"]),
)


def _valid_scope(p: Principal, scope: Scope) -> bool:
    try:
        check_policy({"x": {p.role: scope}})
        return True
    except PolicyError:
        return False


@given(principals, st.sampled_from(list(Scope)), ids, ids)
def test_narrowed_rows_stay_inside_the_scope(
    p: Principal, scope: Scope, team: str | None, agent: str | None
) -> None:
    if not _valid_scope(p, scope):
        return
    try:
        rows = narrow(p, scope, team, agent)
    except Denied:
        # refused only when the request named something outside the scope
        assert scope is not Scope.ALL
        assert (scope is Scope.TEAM and team != p.subject) or (
            scope is Scope.OWN and agent != p.subject
        )
        return
    if scope is Scope.ALL:
        assert (rows.team_id, rows.agent_id, rows.evaluator_id) == (team, agent, None)
    elif scope is Scope.TEAM:
        assert rows.team_id == p.subject
    elif p.role is Role.QA_EVALUATOR:
        assert rows.evaluator_id == p.subject
    else:
        assert rows.agent_id == p.subject


@given(principals, st.sampled_from(list(Scope)), ids, ids, ids)
def test_one_record_is_readable_exactly_inside_the_scope(
    p: Principal, scope: Scope, agent: str | None, team: str | None, evaluator: str | None
) -> None:
    if not _valid_scope(p, scope):
        return
    expected = {
        Scope.ALL: True,
        Scope.TEAM: team == p.subject,
        Scope.OWN: (evaluator if p.role is Role.QA_EVALUATOR else agent) == p.subject,
    }[scope]
    assert may_read(p, scope, agent, team, evaluator) is expected


def test_a_scope_the_subject_cannot_express_is_refused_at_start() -> None:
    with pytest.raises(PolicyError, match="bi_reader cannot have scope team"):
        check_policy({"kpis": {Role.BI_READER: Scope.TEAM}})
    with pytest.raises(PolicyError, match="declared twice"):
        merged({"a": {}}, {"a": {}})


@pytest.mark.parametrize("role", [Role.AGENT, Role.TEAM_LEADER, Role.QA_EVALUATOR])
def test_personal_roles_need_a_subject(role: Role) -> None:
    with pytest.raises(ValueError, match="needs a subject"):
        ensure_subject(role, None)
    ensure_subject(role, "x")
    ensure_subject(Role.OPS_MANAGER, None)
