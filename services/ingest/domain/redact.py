"""Redaction of personal data from free text before it leaves ingest.

Covers email addresses, phone numbers (UK and international), payment card numbers (13-19
digits passing the Luhn check, so order numbers are not mangled), UK National Insurance numbers
and UK postcodes. Each match becomes a typed marker such as `[EMAIL]` so analysts still see
that something was said.
"""

from __future__ import annotations

import re

EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
CARD_CANDIDATE = re.compile(r"(?<!\d)(?:\d[ \-]?){12,18}\d(?!\d)")
# Deliberately wider than the set of valid NI numbers (any two letters): a mistyped or
# placeholder number is still personal data to the person who typed it.
NINO = re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.IGNORECASE)
POSTCODE = re.compile(
    r"\b(?:GIR\s?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE
)
PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\d[\d ()\-]{8,16}\d(?!\w)")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "[CARD]" if 13 <= len(digits) <= 19 and luhn_ok(digits) else match.group(0)


def _phone(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "[PHONE]" if 10 <= len(digits) <= 15 else match.group(0)


def redact(text: str) -> str:
    """Return `text` with personal data replaced by markers (order matters: cards before phones)."""
    if not text:
        return text
    text = EMAIL.sub("[EMAIL]", text)
    text = CARD_CANDIDATE.sub(_card, text)
    text = NINO.sub("[NINO]", text)
    text = PHONE.sub(_phone, text)
    return POSTCODE.sub("[POSTCODE]", text)
