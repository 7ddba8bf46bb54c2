"""API keys: one per source system, each allowed a set of event types. Pure.

A key reads `qlk_<key id>.<secret>`; only the SHA-256 of the secret is stored (secrets are
256-bit random, so a fast hash is enough), compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from contracts.topics import TOPIC_FOR_TYPE

PREFIX = "io.qualityloop."
ALL_TYPES = frozenset(TOPIC_FOR_TYPE)
_KEY = re.compile(r"^qlk_([0-9a-f]{12})\.([A-Za-z0-9_\-]{20,128})$")


@dataclass(frozen=True, slots=True)
class ApiKey:
    key_id: str
    source: str
    secret_sha256: str
    allowed_types: frozenset[str]

    def allows(self, event_type: str) -> bool:
        return event_type in self.allowed_types


def normalise_types(types: list[str]) -> frozenset[str]:
    """Accept `interaction.completed`, the full type, or `*`; refuse unknown types."""
    if types == ["*"]:
        return ALL_TYPES
    out = set()
    for t in types:
        full = t if t.startswith(PREFIX) else PREFIX + t
        if full not in ALL_TYPES:
            raise ValueError(f"unknown event type {t!r}; known: {sorted(ALL_TYPES)}")
        out.add(full)
    return frozenset(out)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_key() -> tuple[str, str, str]:
    """(key id, the full key to hand out once, the digest to store)."""
    key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    return key_id, f"qlk_{key_id}.{secret}", digest(secret)


def parse(presented: str) -> tuple[str, str] | None:
    match = _KEY.match(presented.strip())
    return (match.group(1), match.group(2)) if match else None


def verify(presented: str, keys: dict[str, ApiKey]) -> ApiKey | None:
    parsed = parse(presented)
    if parsed is None:
        return None
    key = keys.get(parsed[0])
    if key is None or not hmac.compare_digest(key.secret_sha256, digest(parsed[1])):
        return None
    return key
