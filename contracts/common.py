"""Shared building blocks of every contract: frozen base model, enums, reference types."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


class Frozen(BaseModel):
    """Base of all contracts: immutable, strict about unknown fields (typos are errors)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("timestamp must carry a timezone offset (e.g. 2026-11-22T09:00:00Z)")
    return value


AwareDatetime = Annotated[datetime, AfterValidator(_aware)]
Id = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:\-/]*$")]
Name = Annotated[str, Field(min_length=1, max_length=128)]
Seconds = Annotated[float, Field(ge=0, le=7 * 24 * 3600)]
FreeText = Annotated[str, Field(max_length=100_000)]


class Channel(StrEnum):
    VOICE = "voice"
    CHAT = "chat"
    EMAIL = "email"
    SOCIAL = "social"
    IN_PERSON = "in_person"


class EvaluationMethod(StrEnum):
    """How a QA evaluation was made (the seeds' monitoring methods)."""

    CALL_LISTENING = "call_listening"
    WRITTEN_REVIEW = "written_review"
    OBSERVATION = "observation"
    MYSTERY_SHOP = "mystery_shop"
    AUTOMATED = "automated"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class CustomerIdentity(Frozen):
    """A customer as a source system knows them. Only ever accepted by ingest, never published."""

    customer_id: Annotated[str, Field(min_length=1, max_length=256)] | None = None
    phone: Annotated[str, Field(min_length=3, max_length=64)] | None = None
    email: Annotated[str, Field(min_length=3, max_length=320)] | None = None


class CustomerPseudonym(Frozen):
    """A customer after ingest: a keyed pseudonym (HMAC-SHA256) and the id of the key used."""

    ref: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    key_id: Annotated[str, Field(min_length=1, max_length=32)]
