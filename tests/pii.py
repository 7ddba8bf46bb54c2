"""Personal data as hypothesis strategies (cards pass Luhn), for redaction tests: each value is
something ingest must never let through in free text."""

from __future__ import annotations

from hypothesis import strategies as st

from services.ingest.domain.redact import luhn_ok


def luhn_complete(prefix: str) -> str:
    for check in "0123456789":
        if luhn_ok(prefix + check):
            return prefix + check
    raise AssertionError


cards = st.text("0123456789", min_size=14, max_size=14).map(lambda p: luhn_complete("4" + p))
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
personal = st.one_of(cards, emails, ninos, postcodes, phones)
filler = st.text(
    st.characters(whitelist_categories=("Ll", "Lu"), whitelist_characters=" ,."), max_size=40
)
