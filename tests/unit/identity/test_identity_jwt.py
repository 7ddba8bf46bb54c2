"""IdP JWTs: verified against a JWKS (a file here; an https URL in production)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from runtime.identity.http import Authenticator
from runtime.identity.jwt import InvalidToken, JwtVerifier, looks_like_jwt
from runtime.identity.model import Role

ISS, AUD = "https://idp.example", "qualityloop"


@pytest.fixture(scope="module")
def keys() -> Iterator[tuple[Any, str]]:
    """A signing key and the URL of its JWKS, served on loopback as an IdP would."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update(kid="k1", use="sig", alg="RS256")
    body = json.dumps({"keys": [jwk]}).encode()

    class Jwks(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Jwks)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield key, f"http://127.0.0.1:{server.server_address[1]}/jwks.json"
    server.shutdown()


def _token(key: Any, **claims: Any) -> str:
    base = {"iss": ISS, "aud": AUD, "sub": "u1", "exp": int(time.time()) + 60}
    return jwt.encode({**base, **claims}, key, algorithm="RS256", headers={"kid": "k1"})


def _verifier(url: str) -> JwtVerifier:
    return JwtVerifier(url, ISS, AUD)


def test_a_valid_token_gives_its_role_and_subject(keys: tuple[Any, str]) -> None:
    key, path = keys
    token = _token(key, ql_role=["unrelated", "team_leader"], ql_subject="team-north", jti="j1")
    assert looks_like_jwt(token)
    p = _verifier(path).verify_sync(token)
    assert (p.role, p.subject, p.token_id) == (Role.TEAM_LEADER, "team-north", "jwt:j1")


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"exp": int(time.time()) - 10}, "expired"),
        ({"iss": "https://other"}, "issuer"),
        ({"aud": "other"}, "(?i)audience"),
        ({"ql_role": "root"}, "names no QualityLoop role"),
        ({"ql_role": "agent"}, "needs a subject"),
    ],
)
def test_bad_tokens_are_refused_with_a_reason(
    keys: tuple[Any, str], claims: dict[str, Any], reason: str
) -> None:
    key, path = keys
    token = _token(key, **{"ql_role": "ops_manager", **claims})
    with pytest.raises(InvalidToken, match=reason):
        _verifier(path).verify_sync(token)


def test_a_token_signed_by_another_key_or_hs256_is_refused(keys: tuple[Any, str]) -> None:
    _, path = keys
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(InvalidToken):
        _verifier(path).verify_sync(_token(other, ql_role="ops_manager"))
    forged = jwt.encode(
        {"iss": ISS, "aud": AUD, "sub": "u", "exp": int(time.time()) + 60, "ql_role": "admin"},
        "secret-" * 5,
        algorithm="HS256",
        headers={"kid": "k1"},
    )
    with pytest.raises(InvalidToken):
        _verifier(path).verify_sync(forged)


async def test_the_services_authenticator_accepts_idp_jwts_and_refuses_forged_ones(
    keys: tuple[Any, str],
) -> None:
    key, url = keys
    auth = Authenticator(None, _verifier(url))  # JWTs need no pool
    p = await auth.principal(_token(key, ql_role="qa_evaluator", ql_subject="qa-7"))
    assert p is not None and (p.role, p.subject) == (Role.QA_EVALUATOR, "qa-7")
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(InvalidToken):
        await auth.principal(_token(other, ql_role="admin"))
