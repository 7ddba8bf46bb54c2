"""The role x endpoint matrix, checked on every route of a service's real app.

Each guarded route carries a `runtime.identity.Requirement` naming its endpoint in the
service's policy; `matrix_cases` turns the policy into calls (no token, a wrong token, each
role's token) with the answers the policy implies, and `unguarded` lists routes with neither
a requirement nor a place in `PUBLIC` — a new endpoint missing from the matrix fails the test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.routing import Route

from runtime.identity import Requirement, Role, Scope

# Routes that carry no monitoring data and answer without a token (probes, API descriptions).
PUBLIC = {
    "/health",
    "/ready",
    "/asyncapi.json",
    "/openapi.json",
    "/docs",
    "/docs/oauth2-redirect",
    "/redoc",
    "/dashboard",  # the static page; its data comes from /v1/dashboard with the tab's token
}


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    requirement: Requirement | None
    source_key: bool  # ingest's event endpoints: source systems' keys, not people's tokens

    @property
    def name(self) -> str:
        return self.requirement.endpoint if self.requirement else self.path


def _requirement(dep: Dependant) -> Requirement | None:
    if isinstance(dep.call, Requirement):
        return dep.call
    for sub in dep.dependencies:
        found = _requirement(sub)
        if found is not None:
            return found
    return None


def _flat(routes: list[Any]) -> list[Any]:
    """Routes through included routers (kept nested by recent FastAPI)."""
    out: list[Any] = []
    for r in routes:
        out += _flat(r.original_router.routes) if hasattr(r, "original_router") else [r]
    return out


def endpoints(app: FastAPI, source_key_paths: frozenset[str] = frozenset()) -> list[Endpoint]:
    out = []
    for route in _flat(app.routes):
        if not isinstance(route, Route):
            continue
        requirement = _requirement(route.dependant) if isinstance(route, APIRoute) else None
        for method in sorted((route.methods or set()) - {"HEAD"}):
            out.append(Endpoint(method, route.path, requirement, route.path in source_key_paths))
    return out


def unguarded(found: list[Endpoint]) -> list[str]:
    return [
        f"{e.method} {e.path}"
        for e in found
        if e.requirement is None and not e.source_key and e.path not in PUBLIC
    ]


def concrete(path: str, values: Mapping[str, str]) -> str:
    """`/v1/actions/{action_id}` with the test's value for each parameter (else `x`)."""
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: values.get(m.group(1), "x"), path)


@dataclass(frozen=True)
class Case:
    endpoint: Endpoint
    caller: str  # "none", "wrong" or a role
    expect_denied: int | None  # 401/403 expected, or None: anything but 401/403


def matrix_cases(found: list[Endpoint], roles: Mapping[str, Role]) -> Iterator[Case]:
    for e in found:
        if e.requirement is None:
            continue
        yield Case(e, "none", 401)
        yield Case(e, "wrong", 401)
        grants: Mapping[Role, Scope] = e.requirement.policy[e.requirement.endpoint]
        for label, role in roles.items():
            yield Case(e, label, None if role in grants else 403)
