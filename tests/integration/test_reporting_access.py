"""The read API's role matrix and row scoping against real Postgres: every endpoint refuses
what a role may not read, agents and team leaders see only their own rows, someone else's
record answers 404, and every individual record served is in the access log."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import asyncpg
import httpx
import pytest

from runtime.identity import Role
from runtime.identity.store import create_token, revoke_token
from services.reporting.app import build
from services.reporting.domain.access import POLICY
from services.reporting.handlers import handle_batch
from services.reporting.names import CONSUMER, TOPICS
from services.reporting.settings import ReportingSettings
from tests import factories as f
from tests.access import endpoints
from tests.conftest import Servers
from tests.kafka_helpers import skip_backlog
from tests.scored_events import NoBroker, records, scored_event


class World:
    """Two teams with two agents each, their evaluations and interactions, one token per role."""

    def __init__(self) -> None:
        tag = uuid.uuid4().hex[:6]
        self.queue = f"q-{tag}"
        self.teams = {f"t1-{tag}": [f"a1-{tag}", f"a2-{tag}"], f"t2-{tag}": [f"a3-{tag}"]}
        self.team_of = {a: t for t, agents in self.teams.items() for a in agents}
        self.evaluations = {f"ev-{a}-{n}": a for a in self.team_of for n in range(3)}
        self.tokens: dict[str, str] = {}

    @property
    def agent(self) -> str:
        return next(iter(self.team_of))

    @property
    def team(self) -> str:
        return next(iter(self.teams))

    async def seed(self, pool: asyncpg.Pool) -> None:
        await pool.executemany(
            """INSERT INTO reporting.evaluation_facts VALUES
                   ($1, $2, $3, $4, $5, 'qa-1', 'human', 'core-qa', 'v1', 's1', 82.5, false,
                    NULL, true, $6)""",
            [
                (ev, f"e-{ev}", f"i-{ev}", agent, self.team_of[agent], f.T0)
                for ev, agent in self.evaluations.items()
            ],
        )
        events = [
            scored_event(
                f.interaction(
                    queue=self.queue, agent=a, team=t, offered=f.T0 + timedelta(minutes=n)
                )
            )
            for n, (a, t) in enumerate(list(self.team_of.items()) * 4)
        ]
        topic = f"access-{self.queue}"
        assert await handle_batch(records(events, topic), pool, NoBroker()) == 12  # type: ignore[arg-type]
        self.tokens = {
            "agent": (await create_token(pool, Role.AGENT, self.agent, "a"))[1],
            "team_leader": (await create_token(pool, Role.TEAM_LEADER, self.team, "tl"))[1],
            "ops_manager": (await create_token(pool, Role.OPS_MANAGER, None, "ops"))[1],
            "bi_reader": (await create_token(pool, Role.BI_READER, None, "bi"))[1],
            "qa_evaluator": (await create_token(pool, Role.QA_EVALUATOR, "qa-1", "qa"))[1],
            "admin": (await create_token(pool, Role.ADMIN, None, "admin"))[1],
        }


@pytest.fixture
async def api(servers: Servers, pool: asyncpg.Pool) -> AsyncIterator[tuple[Any, World]]:
    world = World()
    await world.seed(pool)
    await skip_backlog(servers.kafka, CONSUMER, TOPICS)
    app = build(
        ReportingSettings(
            kafka_bootstrap_servers=servers.kafka,
            database_url=servers.database_url,
            auth_token_cache_s=0,  # revocation asserted at once below
        )
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://r") as http:
            yield (app, http), world


def as_(world: World, role: str) -> dict[str, str]:
    return {"authorization": f"Bearer {world.tokens[role]}"}


async def test_role_matrix_holds_on_every_endpoint(api: tuple[Any, World]) -> None:
    (app, http), world = api
    routes = [e for e in endpoints(app) if e.path.startswith("/v1/")]
    assert {e.name for e in routes} == set(POLICY)  # a new endpoint must join the matrix
    own_evaluation = next(e for e, a in world.evaluations.items() if a == world.agent)
    checked = 0
    for route in routes:
        path = route.path.replace("{evaluation_id}", own_evaluation)
        assert (await http.get(path)).status_code == 401, path
        assert (await http.get(path, headers={"authorization": "Bearer nope"})).status_code == 401
        for role in Role:
            got = await http.get(path, headers=as_(world, role.value))
            want = 200 if role in POLICY[route.name] else 403  # qa-1 wrote every evaluation
            assert got.status_code == want, (path, role, got.text)
            if want == 403:
                assert role.value in got.json()["errors"][0]["reason"]
            checked += 1
    assert checked == len(POLICY) * len(Role)


async def test_rows_are_scoped_by_role_and_reads_are_logged(
    api: tuple[Any, World], pool: asyncpg.Pool
) -> None:
    (_, http), world = api
    me, my_team = world.agent, world.team
    other_team = next(t for t in world.teams if t != my_team)
    peer = world.teams[my_team][1]

    mine = (await http.get("/v1/evaluations", headers=as_(world, "agent"))).json()
    assert {e["agent_id"] for e in mine} == {me} and len(mine) == 3
    denied = await http.get(
        "/v1/evaluations", params={"agent_id": peer}, headers=as_(world, "agent")
    )
    assert denied.status_code == 403
    peer_eval = next(e for e, a in world.evaluations.items() if a == peer)
    hidden = await http.get(f"/v1/evaluations/{peer_eval}", headers=as_(world, "agent"))
    assert hidden.status_code == 404  # another agent's record: not even confirmed to exist

    team = (
        await http.get("/v1/evaluations", params={"limit": 1000}, headers=as_(world, "team_leader"))
    ).json()
    assert {e["team_id"] for e in team} == {my_team} and len(team) == 6
    other = await http.get(
        "/v1/evaluations", params={"team_id": other_team}, headers=as_(world, "team_leader")
    )
    assert other.status_code == 403
    assert (
        await http.get(f"/v1/evaluations/{peer_eval}", headers=as_(world, "team_leader"))
    ).status_code == 200

    kpis = (
        await http.get(
            "/v1/kpis",
            params={"scope": "agent", "granularity": "day", "queue": world.queue},
            headers=as_(world, "agent"),
        )
    ).json()
    assert [(k["scope_id"], k["offered"]) for k in kpis] == [(me, 4)]
    team_all = (
        await http.get(
            "/v1/kpis",
            params={"scope": "all", "granularity": "day", "queue": world.queue},
            headers=as_(world, "team_leader"),
        )
    ).json()
    assert [k["offered"] for k in team_all] == [8]  # the team's two agents only
    everyone = (
        await http.get(
            "/v1/kpis",
            params={"scope": "all", "granularity": "day", "queue": world.queue},
            headers=as_(world, "ops_manager"),
        )
    ).json()
    assert [k["offered"] for k in everyone] == [12]

    log = (
        await http.get(
            "/v1/access-log", params={"agent_id": peer}, headers=as_(world, "ops_manager")
        )
    ).json()
    readers = {(r["role"], r["record_id"]) for r in log}
    assert ("team_leader", peer_eval) in readers  # the single-record read
    assert all(r["record_type"] == "evaluation" for r in log)
    assert not any(r["role"] == "agent" for r in log)  # the refused read served nothing
    served = await pool.fetchval(
        "SELECT count(*) FROM identity.access_log WHERE subject = $1 AND role = 'agent'", me
    )
    assert served == 3


async def test_revoked_token_is_refused(api: tuple[Any, World], pool: asyncpg.Pool) -> None:
    (_, http), _ = api
    token_id, token = await create_token(pool, Role.OPS_MANAGER, None, "leaver")
    auth = {"authorization": f"Bearer {token}"}
    assert (await http.get("/v1/targets", headers=auth)).status_code == 200
    assert await revoke_token(pool, token_id)
    assert (await http.get("/v1/targets", headers=auth)).status_code == 401
    with pytest.raises(ValueError, match="subject"):
        await create_token(pool, Role.AGENT, None, "no agent id")
