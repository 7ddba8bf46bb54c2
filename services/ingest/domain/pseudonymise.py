"""Keyed pseudonyms for customer identifiers (UK GDPR: pseudonymisation at the first hop).

HMAC-SHA256 with a secret from the environment: the same customer always maps to the same ref
under one key (so repeat contacts and FCR can still be analysed), nobody without the key can
reverse or recompute it, and the key id travels with the ref so keys can rotate.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from contracts.common import CustomerIdentity, CustomerPseudonym

_NON_DIGITS = re.compile(r"[^\d+]")


def normalise_phone(phone: str) -> str:
    digits = _NON_DIGITS.sub("", phone)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if digits.startswith("0"):  # UK national format → E.164
        digits = "+44" + digits[1:]
    return digits


@dataclass(frozen=True, slots=True)
class Pseudonymiser:
    key_id: str
    secret: bytes

    def ref(self, identity: CustomerIdentity) -> CustomerPseudonym | None:
        """One ref per customer: the strongest identifier present wins (id > email > phone)."""
        if identity.customer_id:
            material = "id:" + identity.customer_id.strip()
        elif identity.email:
            material = "email:" + identity.email.strip().lower()
        elif identity.phone:
            material = "phone:" + normalise_phone(identity.phone)
        else:
            return None
        digest = hmac.new(self.secret, material.encode(), hashlib.sha256).hexdigest()
        return CustomerPseudonym(ref=digest, key_id=self.key_id)
