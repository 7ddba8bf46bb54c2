"""One identity model for every service: roles, scopes, tokens, JWTs and the access log."""

from runtime.identity.http import Authenticator, Caller, Requirement, guard
from runtime.identity.model import (
    Denied,
    Policy,
    Principal,
    Role,
    RowScope,
    Scope,
    grants,
    merged,
)

__all__ = [
    "Authenticator",
    "Caller",
    "Denied",
    "Policy",
    "Principal",
    "Requirement",
    "Role",
    "RowScope",
    "Scope",
    "grants",
    "guard",
    "merged",
]
