"""A standard assembled from its parsed documents. Pure: the edge reads and parses the files
(`services/scoring/standards_files.py`) and hands over their content and a line locator.

The version of the standard and of each scorecard is a hash of its parsed content: an edit makes
a new version (comments and formatting don't), and every score names the version it used.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from services.scoring.domain.monitoring import MonitoringConfig
from services.scoring.domain.standards import Scorecard, Standard

M = TypeVar("M", bound=BaseModel)
# The 1-based line where a path (mapping keys, sequence positions) starts in its document.
LineOf = Callable[[tuple[Any, ...]], int | None]


def _no_lines(path: tuple[Any, ...]) -> int | None:
    return None


@dataclass(frozen=True)
class Document:
    """One parsed standards file: its name (the path, for messages), its content, and where
    each path of it starts, so a refusal can point at the line."""

    name: str
    data: Any
    line_of: LineOf = _no_lines


class StandardsError(ValueError):
    """A standards file is invalid: the message names the file, the path, the line, the reason."""


def content_hash(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:12]


def validate(document: Document, model: type[M]) -> M:
    """The document as `model`, or a StandardsError naming file, path, line and reason."""
    try:
        return model.model_validate(document.data)
    except ValidationError as err:
        first = err.errors()[0]
        loc = tuple(
            p for p in first["loc"] if not (isinstance(p, str) and p.startswith("function"))
        )
        where = ".".join(str(p) for p in loc) or "(document)"
        line = document.line_of(loc)
        at = f" (line {line})" if line else ""
        raise StandardsError(f"{document.name}: {where}{at}: {first['msg']}") from err


def assemble(
    main: Document,
    scorecards: Sequence[Document],
    monitoring: Document | None,
    scorecards_folder: str,
) -> Standard:
    """The standard (`standard.yaml`), one scorecard per document and the optional monitoring
    plans, each validated and versioned; never a half-valid standard."""
    standard = validate(main, Standard)
    if standard.scorecards:
        raise StandardsError(f"{main.name}: scorecards: put each scorecard in scorecards/*.yaml")
    raw = main.data
    cards = []
    for document in scorecards:
        card = validate(document, Scorecard)
        cards.append(card.model_copy(update={"version": content_hash(document.data)}))
        raw = {**raw, f"scorecard:{card.id}": document.data}
    plans = MonitoringConfig()
    if monitoring is not None:
        plans = validate(monitoring, MonitoringConfig)
        raw = {**raw, "monitoring": monitoring.data}
    ids = [c.id for c in cards]
    if len(ids) != len(set(ids)):
        raise StandardsError(f"{scorecards_folder}: duplicate scorecard ids {sorted(ids)}")
    return standard.model_copy(
        update={"scorecards": tuple(cards), "monitoring": plans, "version": content_hash(raw)}
    )
