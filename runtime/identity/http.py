"""The FastAPI edge of the identity kit: bearer token -> principal -> policy -> scope.

Every guarded route declares `Depends(require("<endpoint>"))`; the dependency answers 401
without a valid token, 403 when the policy gives the caller's role nothing on that endpoint,
and otherwise hands the handler a `Caller` (principal + scope) to narrow its rows with.
Local tokens are looked up by their sha-256 and cached for `ttl_s` (a revocation takes effect
within that time); JWTs are verified against the identity provider's JWKS when configured.
"""

# No `from __future__ import annotations`: FastAPI resolves the dependency's `__call__`
# annotations at run time, and an instance has no `__globals__` to resolve strings in.

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

import asyncpg
from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from runtime.identity import store
from runtime.identity.jwt import InvalidToken, JwtVerifier, looks_like_jwt
from runtime.identity.model import (
    Policy,
    PolicyError,
    Principal,
    RowScope,
    Scope,
    check_policy,
    may_read,
    narrow,
)

# Documents the scheme in OpenAPI; refusals stay ours (401 with our error body).
BEARER = HTTPBearer(
    auto_error=False,
    description="a token from `python -m runtime.identity tokens create`, or an IdP JWT",
)
CHALLENGE = {"WWW-Authenticate": "Bearer"}


@dataclass(frozen=True, slots=True)
class Caller:
    principal: Principal
    scope: Scope

    def rows(self, team_id: str | None = None, agent_id: str | None = None) -> RowScope:
        return narrow(self.principal, self.scope, team_id, agent_id)

    def may_read(
        self, agent_id: str | None, team_id: str | None, evaluator_id: str | None = None
    ) -> bool:
        return may_read(self.principal, self.scope, agent_id, team_id, evaluator_id)


class Authenticator:
    def __init__(
        self,
        pool: asyncpg.Pool,
        verifier: JwtVerifier | None = None,
        ttl_s: float = 10.0,
        max_entries: int = 10_000,
    ) -> None:
        self._pool, self._verifier = pool, verifier
        self._ttl, self._max = ttl_s, max_entries
        self._cache: OrderedDict[str, tuple[float, Principal | None]] = OrderedDict()

    async def principal(self, token: str) -> Principal | None:
        """The token's principal, None when unknown or revoked; InvalidToken for a bad JWT."""
        if self._verifier is not None and looks_like_jwt(token):
            return await self._verifier.verify(token)  # expiry is checked per call
        key = store.digest(token)
        hit = self._cache.get(key)
        now = time.monotonic()
        if hit is not None and hit[0] > now:
            return hit[1]
        found = await store.principal_of(self._pool, token)
        self._cache[key] = (now + self._ttl, found)
        self._cache.move_to_end(key)
        while len(self._cache) > self._max:  # bounded: unknown tokens cannot fill memory
            self._cache.popitem(last=False)
        return found


class Requirement:
    """The dependency of one endpoint; `endpoint` lets tests map every route to the policy."""

    def __init__(self, policy: Policy, endpoint: str) -> None:
        self.policy, self.endpoint = policy, endpoint

    async def __call__(
        self,
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)],
    ) -> Caller:
        token = credentials.credentials.strip() if credentials is not None else ""
        if not token:
            raise HTTPException(401, "missing bearer token", CHALLENGE)
        auth: Authenticator = request.app.state.identity
        try:
            principal = await auth.principal(token)
        except InvalidToken as exc:
            raise HTTPException(401, f"invalid token: {exc}", CHALLENGE) from None
        if principal is None:
            raise HTTPException(401, "unknown, expired or revoked token", CHALLENGE)
        scope = self.policy[self.endpoint].get(principal.role)
        if scope is None:
            raise HTTPException(403, f"role {principal.role.value} may not use {self.endpoint}")
        request.state.principal = principal  # for the access log of the request
        return Caller(principal, scope)


def guard(policy: Policy) -> Callable[[str], Requirement]:
    """`require = guard(POLICY)`; then `Depends(require("actions.list"))` on a route."""
    check_policy(policy)

    def require(endpoint: str) -> Requirement:
        if endpoint not in policy:
            raise PolicyError(f"endpoint {endpoint} is not in the policy")
        return Requirement(policy, endpoint)

    return require
