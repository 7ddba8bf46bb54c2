"""What Kafka and Postgres can hold, checked at every boundary before anything is accepted.

- `MAX_EVENT_BYTES`: one event's JSON. Kafka's default record limit is 1 MiB; a scored event
  carries its input plus scores and evidence, so inputs stop at half of it.
- `MAX_DEPTH`: JSON nesting (pydantic's parser stops at 200 anyway; events need < 10).
- Text: Postgres `text`/`jsonb` cannot hold U+0000, and UTF-8 cannot encode a lone surrogate,
  so both are refused naming the field (never silently cleaned: the source should know).
"""

from __future__ import annotations

from typing import Any

from contracts.errors import FieldError

MAX_EVENT_BYTES = 512 * 1024
MAX_DEPTH = 32

_NUL_ESCAPE = b"\\u0000"


def might_hold_nul(raw: bytes) -> bool:
    """Cheap pre-check on a JSON body (a NUL can only appear as the escape `\\u0000`);
    a hit is confirmed by `text_errors` on the parsed value (the escape may be literal text)."""
    return _NUL_ESCAPE in raw


def _bad(text: str) -> str | None:
    if "\x00" in text:
        return "text holds a NUL character (U+0000), which cannot be stored"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "text holds a lone surrogate, which is not valid Unicode"
    return None


def text_errors(value: Any, path: str = "", depth: int = 0) -> list[FieldError]:
    """Every NUL / lone surrogate (in keys or values) and nesting deeper than MAX_DEPTH."""
    if depth > MAX_DEPTH:
        return [{"field": path or "(body)", "reason": f"nesting deeper than {MAX_DEPTH} levels"}]
    out: list[FieldError] = []
    if isinstance(value, str):
        reason = _bad(value)
        if reason:
            out.append({"field": path or "(body)", "reason": reason})
    elif isinstance(value, dict):
        for k, v in value.items():
            key = str(k)
            where = f"{path}.{key}" if path else key
            reason = _bad(key)
            if reason:
                out.append({"field": where, "reason": f"field name: {reason}"})
            out += text_errors(v, where, depth + 1)
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            out += text_errors(v, f"{path}.{i}" if path else str(i), depth + 1)
    return out


def size_error(size: int, limit: int = MAX_EVENT_BYTES) -> FieldError | None:
    if size > limit:
        return {"field": "(body)", "reason": f"event of {size:,} bytes exceeds {limit:,} bytes"}
    return None
