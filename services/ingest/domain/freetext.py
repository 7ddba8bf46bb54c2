"""Which fields of a canonical event can carry a person's words, found from the contracts. Pure.

Free text is any `str` field without a `pattern`: transcripts, verbatims, complaint descriptions,
notes and resolutions, evaluator comments (overall and per criterion), complaint categories and
root causes. Identifiers carry a pattern (`contracts.common.Id`), so they are not free text;
enums, literals, numbers and times are not `str`. The customer is pseudonymised as a whole, not
redacted. Deriving the list from the contracts means a free-text field added later is redacted
without anyone remembering to list it (tests/unit/ingest/test_free_text.py pins today's list).
"""

from __future__ import annotations

import types
from collections.abc import Iterator, Sequence
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from contracts.common import CustomerIdentity, CustomerPseudonym

# CloudEvents attributes that are free text (the rest are ids, sources, types, times, or ours).
ENVELOPE = ("subject",)
_PSEUDONYMISED = (CustomerIdentity, CustomerPseudonym)


def _alternatives(annotation: Any) -> Iterator[tuple[Any, list[Any]]]:
    """(type, constraints) for each alternative of an annotation (`X | None`, `Annotated`)."""
    origin = get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        for arg in get_args(annotation):
            yield from _alternatives(arg)
    elif origin is Annotated:
        inner, *meta = get_args(annotation)
        for base, more in _alternatives(inner):
            yield base, [*meta, *more]
    else:
        yield annotation, []


def _has_pattern(constraints: Sequence[Any]) -> bool:
    return any(
        getattr(c, "pattern", None) or _has_pattern(getattr(c, "metadata", None) or ())
        for c in constraints
    )


@cache
def free_text_paths(model: type[BaseModel]) -> tuple[str, ...]:
    """Dotted paths of a model's free-text fields; `*` stands for every item of a sequence."""
    paths: list[str] = []
    for name, info in model.model_fields.items():
        for base, constraints in _alternatives(info.annotation):
            item, prefix = base, name
            if get_origin(base) in (tuple, list) and get_args(base):
                item, prefix = get_args(base)[0], f"{name}.*"
            if item is str and not _has_pattern([*info.metadata, *constraints]):
                paths.append(name)
            elif isinstance(item, type) and issubclass(item, BaseModel):
                if not issubclass(item, _PSEUDONYMISED):
                    paths += [f"{prefix}.{p}" for p in free_text_paths(item)]
    return tuple(dict.fromkeys(paths))


def rewrite(doc: Any, path: str, change: Any) -> None:
    """Apply `change` (str → str) in place to the text at `path` in plain dicts and lists."""
    head, _, rest = path.partition(".")
    if head == "*":
        for item in doc if isinstance(doc, list | tuple) else ():
            rewrite(item, rest, change)
    elif isinstance(doc, dict) and doc.get(head) is not None:
        if rest:
            rewrite(doc[head], rest, change)
        elif isinstance(doc[head], str):
            doc[head] = change(doc[head])
