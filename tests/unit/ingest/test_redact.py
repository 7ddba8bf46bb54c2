"""Redaction: personal data never survives; ordinary numbers and words do."""

from __future__ import annotations

from hypothesis import given

from services.ingest.domain.redact import luhn_ok, redact
from tests.pii import cards, filler, personal


@given(filler, personal, filler)
def test_personal_data_never_survives(before: str, secret: str, after: str) -> None:
    text = f"{before} {secret} {after}"
    out = redact(text)
    assert secret not in out
    assert "[" in out


@given(cards)
def test_cards_with_separators_are_redacted(card: str) -> None:
    spaced = " ".join(card[i : i + 4] for i in range(0, 16, 4))
    assert redact(f"my card is {spaced} thanks") == "my card is [CARD] thanks"


def test_non_luhn_long_numbers_are_not_cards() -> None:
    order = "4111111111111112"  # fails Luhn: an order number, not a card
    assert not luhn_ok(order)
    assert "[CARD]" not in redact(f"order {order}")


def test_ordinary_text_and_short_numbers_survive() -> None:
    text = "I called 3 times about invoice 12345 on 12/11 and waited 20 minutes."
    assert redact(text) == text


def test_all_kinds_in_one_transcript() -> None:
    text = (
        "Customer: I'm jane.doe@example.com, call me on 07700 900123, NI AB 12 34 56 C, "
        "I live at SW1A 1AA and my card 4111 1111 1111 1111 was charged twice."
    )
    out = redact(text)
    for marker in ("[EMAIL]", "[PHONE]", "[NINO]", "[POSTCODE]", "[CARD]"):
        assert marker in out
    assert "jane" not in out and "900123" not in out and "1111" not in out
