"""Source ownership of event ids: the first source to report an id owns it. Pure.

The event id is the idempotency key, so a second source sending the same id would replace the
first source's fact downstream (the later event time wins). The store claims ids for their
sources in one set-based statement; these functions prepare the claims and word the refusals.
"""

from __future__ import annotations

from collections.abc import Iterable

from contracts.errors import FieldError

# `dlq_reason` of a raw record whose id another source owns (dead letters start with a code).
CONFLICT = "source_conflict"


def first_claims(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """(event id, source) pairs → each id's claimant: the first pair that names it wins, so two
    sources sending one id within a batch are decided in order, like two batches would be."""
    claims: dict[str, str] = {}
    for event_id, source in pairs:
        claims.setdefault(event_id, source)
    return claims


def conflict(event_id: str) -> FieldError:
    """The refusal of an id another source owns. The owner is not named: a source learns only
    that the id is taken, nothing about another source's systems."""
    return {"field": "id", "reason": f"event id {event_id!r} belongs to another source"}


def owner(event_id: str, claims: dict[str, str], foreign: dict[str, str]) -> str:
    """Who owns `event_id` once `claims` are stored: the source that owned it before (`foreign`:
    the store's answer for ids another source held), else its first claimant in this batch.
    A record is published only when this is its own source."""
    return foreign.get(event_id) or claims[event_id]
