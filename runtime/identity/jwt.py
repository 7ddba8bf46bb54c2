"""JWTs from the organisation's identity provider, verified against its JWKS (PyJWT).

Only asymmetric algorithms are accepted (a shared-secret HS256 token could be minted by anyone
holding the secret); issuer, audience and expiry are checked. The role comes from a claim
(`AUTH_JWT_ROLE_CLAIM`, a string or a list: the first value that names a role wins), the
subject (agent, team or evaluator id) from `AUTH_JWT_SUBJECT_CLAIM`.
"""

from __future__ import annotations

import asyncio
from typing import Any

import jwt

from runtime.identity.model import Principal, Role, ensure_subject

ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "PS256", "EdDSA"]


class InvalidToken(ValueError):
    """The token is not a valid JWT for us; the reason is safe to show the caller."""


def looks_like_jwt(token: str) -> bool:
    return token.count(".") == 2 and token.startswith("eyJ")


class JwtVerifier:
    def __init__(
        self,
        jwks_url: str,
        issuer: str,
        audience: str,
        role_claim: str = "ql_role",
        subject_claim: str = "ql_subject",
    ) -> None:
        # PyJWKClient caches the key set and refetches when a token names an unknown key id.
        self._keys = jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=300)
        self._issuer, self._audience = issuer, audience
        self._role_claim, self._subject_claim = role_claim, subject_claim

    def verify_sync(self, token: str) -> Principal:
        try:
            key = self._keys.get_signing_key_from_jwt(token)
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=ALGORITHMS,
                audience=self._audience,
                issuer=self._issuer,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.PyJWKClientError as exc:
            raise InvalidToken(f"signing key not found: {exc}") from None
        except jwt.InvalidTokenError as exc:
            raise InvalidToken(str(exc)) from None
        return self.principal(claims)

    def principal(self, claims: dict[str, Any]) -> Principal:
        raw = claims.get(self._role_claim)
        values = raw if isinstance(raw, list) else [raw]
        role = next((Role(v) for v in values if isinstance(v, str) and v in set(Role)), None)
        if role is None:
            raise InvalidToken(f"claim {self._role_claim} names no QualityLoop role")
        subject = claims.get(self._subject_claim)
        subject = subject if isinstance(subject, str) and subject else None
        try:
            ensure_subject(role, subject)
        except ValueError as exc:
            raise InvalidToken(f"claim {self._subject_claim}: {exc}") from None
        token_id = str(claims.get("jti") or claims["sub"])
        return Principal(f"jwt:{token_id}"[:128], role, subject, str(claims["sub"])[:128])

    async def verify(self, token: str) -> Principal:
        # Fetching the key set is blocking I/O (urllib): off the event loop.
        return await asyncio.to_thread(self.verify_sync, token)
