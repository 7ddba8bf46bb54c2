"""Source ownership of event ids, against a reference model: whatever the sequence of batches,
an id accepted for one source is never accepted for another, and its owner may always resend."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from services.ingest.domain.ownership import conflict, first_claims, owner

ids = st.sampled_from(["e1", "e2", "e3", "e4"])
sources = st.sampled_from(["/acd/a", "/crm/b", "/qa/c"])
batches = st.lists(st.lists(st.tuples(ids, sources), min_size=1, max_size=6), max_size=8)


def store_claim(stored: dict[str, str], claims: dict[str, str]) -> dict[str, str]:
    """What `store.claim_ids` does (INSERT ... ON CONFLICT DO NOTHING, then owners of the
    conflicting ids): the ids another source held before, with that owner."""
    foreign = {i: stored[i] for i, s in claims.items() if i in stored and stored[i] != s}
    for i, s in claims.items():
        stored.setdefault(i, s)
    return foreign


@given(batches)
def test_the_first_source_owns_an_id_for_good(sequence: list[list[tuple[str, str]]]) -> None:
    stored: dict[str, str] = {}
    first_seen: dict[str, str] = {}  # the reference: who reported each id first
    for batch in sequence:
        claims = first_claims(batch)
        foreign = store_claim(stored, claims)
        for event_id, source in batch:
            first_seen.setdefault(event_id, source)
            accepted = owner(event_id, claims, foreign) == source
            assert accepted == (first_seen[event_id] == source), (event_id, source, batch)
    assert stored == first_seen


def test_first_claims_keep_the_first_source_per_id() -> None:
    pairs = [("x", "/a"), ("y", "/b"), ("x", "/b"), ("x", "/a")]
    assert first_claims(pairs) == {"x": "/a", "y": "/b"}


def test_the_owner_is_not_named_in_the_refusal() -> None:
    error = conflict("evt-1")
    assert error == {"field": "id", "reason": "event id 'evt-1' belongs to another source"}
