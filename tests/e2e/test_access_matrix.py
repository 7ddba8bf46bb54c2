"""The platform's role x endpoint matrix, on the four real service processes: every route of
every service is either public (carries no data), a source system's (ingest keys), or
guarded by the policy; each guarded route is called with no token, a wrong token and each
role's token, and answers exactly as the policy states (401 / 403 / served). A new endpoint
that joins no policy fails here. The figures are printed and written to
test-artifacts/access-matrix.txt."""

from __future__ import annotations

import asyncio
import importlib
from collections import Counter
from typing import Any

import httpx
import pytest

from runtime.identity import Role
from tests.access import PUBLIC, Endpoint, concrete, endpoints, unguarded
from tests.conftest import Servers
from tests.processes import ROOT, Service, person_token

SUBJECTS = {  # the personal roles' subjects: someone, so scopes are exercised
    Role.AGENT: "matrix-agent",
    Role.TEAM_LEADER: "matrix-team",
    Role.QA_EVALUATOR: "matrix-evaluator",
}
# ingest's event routes take a source system's API key, never a person's token.
SOURCE_KEY_PATHS = frozenset(
    {"/v1/events", "/v1/events/batch", "/v1/{family}", "/v1/{family}/batch"}
)
PATH_VALUES = {"family": "interactions"}
BODIES = {"actions.transition": {"status": "acknowledged"}}


def _routes(service: str) -> list[Endpoint]:
    app = importlib.import_module(f"services.{service}.app").build()
    return endpoints(app, SOURCE_KEY_PATHS if service == "ingest" else frozenset())


async def _call(
    http: httpx.AsyncClient, e: Endpoint, token: str | None, body: dict[str, Any] | None
) -> int:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    path = concrete(e.path, PATH_VALUES)
    # Streams answer their status first and then never end: read the status, then leave.
    async with http.stream(e.method, path, headers=headers, json=body) as response:
        return response.status_code


async def _check(
    services: dict[str, Service], tokens: dict[str, str]
) -> tuple[Counter[str], list[str]]:
    tally: Counter[str] = Counter()
    wrong: list[str] = []
    async with httpx.AsyncClient(timeout=10) as http:
        for name, service in services.items():
            http.base_url = httpx.URL(service.url)
            for e in _routes(name):
                if e.path in PUBLIC:
                    if e.method == "GET" and (status := await _call(http, e, None, None)) >= 400:
                        wrong.append(f"{name} {e.method} {e.path}: public but {status}")
                    tally["public"] += 1
                    continue
                body = BODIES.get(e.name, {} if e.method == "POST" else None)
                callers: dict[str, str | None] = {"none": None, "wrong": "qlt_not-a-token"}
                callers |= {r.value: tokens[r.value] for r in Role}
                for caller, token in callers.items():
                    status = await _call(http, e, token, body)
                    if caller in ("none", "wrong") or e.source_key:
                        expected = "401"  # a person's token is no source key either
                        ok = status == 401
                    elif Role(caller) in e.requirement.policy[e.name]:  # type: ignore[union-attr]
                        scope = e.requirement.policy[e.name][Role(caller)]  # type: ignore[union-attr]
                        expected = f"served ({scope.value})"
                        ok = status not in (401, 403) and status < 500
                        tally[f"scope {scope.value}"] += ok
                    else:
                        expected = "403"
                        ok = status == 403
                        tally["refused 403"] += ok
                    tally["calls"] += 1
                    if not ok:
                        wrong.append(
                            f"{name} {e.method} {e.path} as {caller}: {status}, {expected}"
                        )
                tally["guarded endpoints"] += 1
    return tally, wrong


def test_every_endpoint_of_every_service_answers_as_the_policy_states(
    services: dict[str, Service], servers: Servers, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = [f"{s}: {r}" for s in services for r in unguarded(_routes(s))]
    assert not missing, f"routes in no policy (add them to the service's POLICY): {missing}"

    async def tokens() -> dict[str, str]:
        return {
            r.value: await person_token(servers.database_url, r.value, SUBJECTS.get(r))
            for r in Role
        }

    tally, wrong = asyncio.run(_check(services, asyncio.run(tokens())))
    lines = [
        f"access matrix, 4 services: {tally['guarded endpoints']} guarded endpoints x "
        f"{2 + len(Role)} callers (no token, wrong token, {len(Role)} roles) = "
        f"{tally['calls']} calls; {tally['public']} public routes",
        f"  served: own {tally['scope own']}, team {tally['scope team']}, "
        f"all {tally['scope all']}; refused 403: {tally['refused 403']}; "
        f"answered otherwise than the policy: {len(wrong)}",
        *[f"  WRONG {w}" for w in wrong],
    ]
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    (ROOT / "test-artifacts" / "access-matrix.txt").write_text("\n".join(lines) + "\n")
    with capsys.disabled():  # the figures belong in CI's output, pass or fail
        print("\n" + "\n".join(lines))
    assert not wrong
    assert tally["guarded endpoints"] >= 20  # the four services' APIs, not an empty app
