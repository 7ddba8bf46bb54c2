"""Pseudonyms: keyed, stable per customer, irreversible without the key, rotatable."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from contracts.common import CustomerIdentity
from contracts.inbound import inbound_adapter
from services.ingest.domain.canonicalise import canonicalise, route
from services.ingest.domain.pseudonymise import Pseudonymiser, normalise_phone
from tests import factories as f

P = Pseudonymiser("k1", b"secret-one")


@given(st.text(min_size=1, max_size=40).filter(str.strip))
def test_same_customer_same_ref_and_never_in_clear(customer_id: str) -> None:
    a = P.ref(CustomerIdentity(customer_id=customer_id))
    b = P.ref(CustomerIdentity(customer_id=customer_id))
    assert a == b and a is not None
    assert customer_id.strip() not in a.ref or len(customer_id.strip()) < 3
    assert a.key_id == "k1"


def test_key_rotation_changes_ref_and_records_key_id() -> None:
    identity = CustomerIdentity(email="Jane@Example.com")
    other = Pseudonymiser("k2", b"secret-two").ref(identity)
    assert other is not None and other.key_id == "k2"
    assert other != P.ref(identity)


def test_phone_formats_normalise_to_one_ref() -> None:
    assert normalise_phone("07700 900123") == normalise_phone("+44 7700 900123") == "+447700900123"
    a = P.ref(CustomerIdentity(phone="07700 900123"))
    b = P.ref(CustomerIdentity(phone="+44 (0)7700-900123".replace("(0)", "")))
    assert a == b


def test_canonical_event_has_no_personal_data() -> None:
    raw = f.interaction(
        customer={"customer_id": "CUST-991", "phone": "07700 900123", "email": "jo@example.com"},
        transcript="Hello, this is jo@example.com, my number is 07700 900123.",
    )
    event = canonicalise(inbound_adapter.validate_python(raw), "/acd", P)
    text = event.model_dump_json()
    for secret in ("CUST-991", "900123", "jo@example.com"):
        assert secret not in text
    assert event.source == "/acd"
    assert event.data.customer.key_id == "k1"
    topic, key = route(event)
    assert topic.name == "ql.interactions" and key == b"agent-1"
