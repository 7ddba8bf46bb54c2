"""Bytes → JSON for everything ingest reads (HTTP bodies, raw-topic values). Pure.

Strict where `json.loads` is lenient: UTF-8 only (no UTF-16/32 sniffing), no NaN/Infinity,
nesting bounded (a RecursionError is a 400, never a 500), and text Postgres can hold (no NUL, no
lone surrogate, see `contracts.limits`). Every refusal names the field and the reason.
"""

from __future__ import annotations

import json
from typing import Any, NoReturn

from contracts.errors import FieldError
from contracts.limits import MAX_DEPTH, MAX_EVENT_BYTES, size_error, text_errors


class Refused(Exception):
    """A client mistake: the HTTP status to answer and the fields at fault."""

    def __init__(self, status: int, errors: list[FieldError]) -> None:
        super().__init__(summary(errors))
        self.status, self.errors = status, errors


def refuse(status: int, field: str, reason: str) -> NoReturn:
    raise Refused(status, [{"field": field, "reason": reason}])


def summary(errors: list[FieldError], limit: int = 5) -> str:
    return "; ".join(f"{e['field']}: {e['reason']}" for e in errors[:limit])


def _constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not valid JSON")


def parse(raw: bytes, field: str = "(body)") -> Any:
    """Strict JSON from UTF-8 bytes; 400 naming the reason when it is not."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        refuse(400, field, f"invalid JSON: not UTF-8 ({exc.reason} at byte {exc.start})")
    try:
        return json.loads(text.removeprefix("\ufeff"), parse_constant=_constant)
    except RecursionError:  # the C scanner stops cleanly at the interpreter's recursion limit
        refuse(400, field, f"JSON nested far deeper than {MAX_DEPTH} levels")
    except ValueError as exc:  # JSONDecodeError, NaN/Infinity, integers over 4,300 digits
        refuse(400, field, f"invalid JSON: {exc}")


def check_text(value: Any, path: str = "") -> None:
    """422 naming every NUL, lone surrogate or over-deep nesting under `path`."""
    errors = text_errors(value, path)
    if errors:
        raise Refused(422, errors)


def check_size(canonical_json: bytes) -> None:
    """413: the canonical event must stay far enough under Kafka's record limit."""
    error = size_error(len(canonical_json), MAX_EVENT_BYTES)
    if error:
        raise Refused(413, [{"field": "(event)", "reason": "canonical " + error["reason"]}])


def batch_items(value: Any, limit: int) -> list[Any]:
    """A batch body: a JSON array (or `{"events": [...]}`) of 1 to `limit` items."""
    if isinstance(value, dict) and isinstance(value.get("events"), list):
        value = value["events"]
    if not isinstance(value, list):
        refuse(422, "(body)", "expected a JSON array of events")
    if not 1 <= len(value) <= limit:
        refuse(422, "(body)", f"a batch holds 1 to {limit} events")
    return value
