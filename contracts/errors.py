"""Turn pydantic validation errors into the machine-readable body every API and DLQ uses."""

from __future__ import annotations

from typing import TypedDict

from pydantic import ValidationError


class FieldError(TypedDict):
    field: str
    reason: str


def _is_union_tag(part: object) -> bool:
    # Discriminated unions add the tag (e.g. "io.qualityloop.interaction.completed") to the
    # location; it is noise for the client, who sent that type.
    return isinstance(part, str) and part.startswith("io.qualityloop.")


def describe(error: ValidationError) -> list[FieldError]:
    out: list[FieldError] = []
    for item in error.errors(include_url=False, include_input=False):
        loc = [str(p) for p in item["loc"] if not _is_union_tag(p)]
        if item["type"] in ("union_tag_invalid", "union_tag_not_found"):
            loc = ["type"]
        out.append({"field": ".".join(loc) or "(body)", "reason": item["msg"]})
    return out


def summary(error: ValidationError, limit: int = 5) -> str:
    parts = [f"{e['field']}: {e['reason']}" for e in describe(error)[:limit]]
    return "; ".join(parts)
