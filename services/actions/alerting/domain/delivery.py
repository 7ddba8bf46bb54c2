"""Webhook delivery rules: the signature receivers check, and the retry backoff. Pure."""

from __future__ import annotations

import hashlib
import hmac


def signature(secret: bytes, body: bytes) -> str:
    """`X-QualityLoop-Signature` header value: receivers recompute it to trust the payload."""
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def backoff_seconds(attempt: int, base: float = 2.0, cap: float = 600.0) -> float:
    """Exponential backoff after the given (1-based) failed attempt."""
    return min(cap, base * 2 ** (attempt - 1))
