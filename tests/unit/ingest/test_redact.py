"""Redaction: personal data never survives; ordinary numbers and words do."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from services.ingest.domain.redact import luhn_ok, redact


def _luhn_complete(prefix: str) -> str:
    for check in "0123456789":
        if luhn_ok(prefix + check):
            return prefix + check
    raise AssertionError


cards = st.text("0123456789", min_size=14, max_size=14).map(lambda p: _luhn_complete("4" + p))
emails = st.from_regex(r"[a-z]{1,10}(\.[a-z]{1,8})?@[a-z]{2,10}\.(com|co\.uk|org)", fullmatch=True)
ninos = st.from_regex(r"(AB|JG|TC|PR|WX) ?\d{2} ?\d{2} ?\d{2} ?[A-D]", fullmatch=True)
postcodes = st.sampled_from(["SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "EC1A 1BB"])
phones = st.sampled_from(
    [
        "07700 900123",
        "+44 7700 900123",
        "020 7946 0018",
        "(0161) 496 0000",
        "+1 415 555 2671",
        "0044 20 7946 0958",
    ]
)
filler = st.text(
    st.characters(whitelist_categories=("Ll", "Lu"), whitelist_characters=" ,."), max_size=40
)


@given(filler, st.one_of(cards, emails, ninos, postcodes, phones), filler)
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
