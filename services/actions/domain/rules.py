"""Action rules as versioned configuration (YAML), validated with errors naming file and path."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from contracts.actions import ActionKind, ScopeType


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Immediate(_Strict):
    type: Literal["immediate"]
    when: Literal["critical_fail"] = "critical_fail"


class Fixed(_Strict):
    type: Literal["fixed"]
    below: float | None = None
    above: float | None = None
    min_events: Annotated[int, Field(ge=1)] = 1


Trigger = Annotated[Immediate | Fixed, Field(discriminator="type")]


class Rule(_Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9\-]*$")]
    description: str = ""
    kind: ActionKind
    scope: ScopeType
    metric: Literal["qa_score", "auto_qa_score"]
    window_last: Annotated[int, Field(ge=1, le=1000)] = 10
    trigger: Trigger
    due_in_days: Annotated[int, Field(ge=1, le=365)] = 14
    suggested_activity: str | None = None


class RuleSet(_Strict):
    rules: tuple[Rule, ...]
    version: str = ""


class RulesError(ValueError):
    pass


def load_rules(path: Path) -> RuleSet:
    """Load and validate a rules file; the version is a hash of its parsed content."""
    try:
        raw = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise RulesError(f"{path}: {exc}") from exc
    try:
        parsed = RuleSet.model_validate(raw)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise RulesError(f"{path}: {where}: {first['msg']}") from err
    ids = [r.id for r in parsed.rules]
    if len(ids) != len(set(ids)):
        raise RulesError(f"{path}: rules: duplicate rule id")
    canonical = json.dumps(raw, sort_keys=True, default=str).encode()
    return parsed.model_copy(update={"version": hashlib.sha256(canonical).hexdigest()[:12]})
