"""The identity guard on a small app: 401 without a valid token, 403 outside the policy,
revocation effective after the cache's time, and the caller's scope handed to the route."""

from typing import Annotated, Any

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient

from runtime.identity import store
from runtime.identity.http import Authenticator, Caller, guard
from runtime.identity.model import PolicyError, Principal, Role, Scope


class FakePool:
    """Answers `principal_of`'s one query from a dict of token digests."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}
        self.queries = 0

    async def fetchrow(self, _sql: str, sha: str) -> dict[str, Any] | None:
        self.queries += 1
        return self.rows.get(sha)

    def add(self, token: str, role: Role, subject: str | None) -> None:
        self.rows[store.digest(token)] = {
            "token_id": token[-4:],
            "role": role.value,
            "subject": subject,
            "label": "",
        }


POLICY = {"things.list": {Role.AGENT: Scope.OWN, Role.OPS_MANAGER: Scope.ALL}}


require = guard(POLICY)


def _app(pool: FakePool, ttl: float) -> FastAPI:
    app = FastAPI()
    app.state.identity = Authenticator(pool, ttl_s=ttl)

    @app.get("/things")
    async def things(caller: Annotated[Caller, Depends(require("things.list"))]) -> dict[str, Any]:
        return {"scope": caller.scope.value, "agent": caller.rows().agent_id}

    return app


def test_tokens_roles_and_scopes() -> None:
    pool = FakePool()
    pool.add("agent-token", Role.AGENT, "a1")
    pool.add("ops-token", Role.OPS_MANAGER, None)
    pool.add("bi-token", Role.BI_READER, None)
    client = TestClient(_app(pool, ttl=60))
    assert client.get("/things").status_code == 401
    assert client.get("/things", headers={"Authorization": "Bearer nope"}).status_code == 401
    r = client.get("/things", headers={"Authorization": "Bearer bi-token"})
    assert r.status_code == 403 and "bi_reader may not use things.list" in r.text
    r = client.get("/things", headers={"Authorization": "Bearer agent-token"})
    assert r.json() == {"scope": "own", "agent": "a1"}
    r = client.get("/things", headers={"Authorization": "Bearer ops-token"})
    assert r.json() == {"scope": "all", "agent": None}


def test_lookups_are_cached_for_the_ttl_only() -> None:
    pool = FakePool()
    pool.add("t", Role.OPS_MANAGER, None)
    cached = TestClient(_app(pool, ttl=60))
    for _ in range(3):
        assert cached.get("/things", headers={"Authorization": "Bearer t"}).status_code == 200
    assert pool.queries == 1
    pool.rows.clear()  # revoked
    uncached = TestClient(_app(pool, ttl=0))
    assert uncached.get("/things", headers={"Authorization": "Bearer t"}).status_code == 401


def test_an_endpoint_outside_the_policy_cannot_be_guarded() -> None:
    with pytest.raises(PolicyError, match="not in the policy"):
        guard(POLICY)("things.delete")


def test_principal_names_itself_for_logs() -> None:
    assert Principal("abc", Role.TEAM_LEADER, "t1").who == "team_leader:t1 (abc)"
