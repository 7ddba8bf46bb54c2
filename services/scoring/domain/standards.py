"""The organisation's standards as versioned configuration.

Layout of a standards folder (see `services/scoring/standards/`):
- `standard.yaml`: name, service-level targets per channel (optionally per queue), AHT bands,
  FCR and abandonment targets, survey targets, complaint-handling targets;
- `scorecards/*.yaml`: one scorecard per file (sections, weighted criteria, critical criteria,
  bonus criteria, optional automated detectors);
- `monitoring.yaml` (optional): monitoring plans (see `domain/monitoring.py`).
The version of the standard and of each scorecard is a hash of its parsed content: an edit makes
a new version (comments and formatting don't), and every score names the version it used.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Annotated, Any, Literal, Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from contracts.common import Channel, Severity
from services.scoring.domain.monitoring import MonitoringConfig

Ident = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9\-_]*$", max_length=64)]
Positive = Annotated[float, Field(gt=0)]
Percent = Annotated[float, Field(ge=0, le=100)]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ServiceLevelTarget(_Strict):
    channel: Channel
    queue: str | None = None
    threshold_seconds: Positive
    target_percent: Percent
    variant: Literal["offered", "exclude_short_abandons"] = "offered"
    short_abandon_seconds: Annotated[float, Field(ge=0)] = 5.0


class AhtBand(_Strict):
    channel: Channel
    short_below_seconds: Annotated[float, Field(ge=0)]
    long_above_seconds: Positive

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.long_above_seconds <= self.short_below_seconds:
            raise ValueError("long_above_seconds must exceed short_below_seconds")
        return self


class SurveyTargets(_Strict):
    csat_percent: Percent = 85
    nps: Annotated[float, Field(ge=-100, le=100)] = 30
    ces: Annotated[float, Field(ge=1, le=7)] = 3


class ComplaintTargets(_Strict):
    acknowledge_within_hours: Positive = 24
    resolve_within_days: Positive = 8 * 7
    resolve_within_days_by_severity: dict[Severity, Positive] = Field(default_factory=dict)


class Detector(_Strict):
    """An automated check: `phrase`/`regex` pass when found, `absent` passes when not found."""

    kind: Literal["phrase", "regex", "absent"]
    phrases: tuple[Annotated[str, Field(min_length=1)], ...] = ()
    pattern: str | None = None
    within_first_chars: Annotated[int, Field(gt=0)] | None = None
    within_last_share: Annotated[float, Field(gt=0, le=1)] | None = None

    @model_validator(mode="after")
    def _has_something(self) -> Self:
        if not self.phrases and not self.pattern:
            raise ValueError("a detector needs phrases or a pattern")
        return self


class Criterion(_Strict):
    id: Ident
    text: Annotated[str, Field(min_length=1)]
    kind: Literal["yes_no", "scale"] = "yes_no"
    scale_max: Annotated[int, Field(ge=1, le=10)] | None = None
    na_allowed: bool = True
    weight: Positive = 1.0
    critical: Literal["none", "section", "evaluation"] = "none"
    bonus: bool = False
    detector: Detector | None = None

    @model_validator(mode="after")
    def _coherent(self) -> Self:
        if self.kind == "scale" and self.scale_max is None:
            raise ValueError("a scale criterion needs scale_max")
        if self.kind == "yes_no" and self.scale_max is not None:
            raise ValueError("scale_max only applies to scale criteria")
        if self.critical != "none" and (self.kind != "yes_no" or self.bonus):
            raise ValueError("only yes/no, non-bonus criteria can be critical")
        return self


class Section(_Strict):
    id: Ident
    title: str
    weight: Positive
    criteria: Annotated[tuple[Criterion, ...], Field(min_length=1)]


class Scorecard(_Strict):
    id: Ident
    title: str
    sections: Annotated[tuple[Section, ...], Field(min_length=1)]
    version: str = ""

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        for kind, ids in (
            ("section", [s.id for s in self.sections]),
            ("criterion", [c.id for s in self.sections for c in s.criteria]),
        ):
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                raise ValueError(f"duplicate {kind} id(s): {', '.join(dupes)}")
        return self


class Standard(_Strict):
    name: Ident
    service_levels: Annotated[tuple[ServiceLevelTarget, ...], Field(min_length=1)]
    aht_bands: tuple[AhtBand, ...] = ()
    fcr_target_percent: Percent = 75
    abandonment_target_percent: Percent = 5
    surveys: SurveyTargets = SurveyTargets()
    complaints: ComplaintTargets = ComplaintTargets()
    scorecards: tuple[Scorecard, ...] = ()
    monitoring: MonitoringConfig = MonitoringConfig()
    version: str = ""

    @property
    def id(self) -> str:
        return f"{self.name}:{self.version}"

    def scorecard(self, scorecard_id: str, version: str | None = None) -> Scorecard:
        for card in self.scorecards:
            if card.id == scorecard_id:
                if version is not None and version != card.version:
                    raise KeyError(
                        f"scorecard {scorecard_id!r} version {version!r} is not in "
                        f"force (current {card.version})"
                    )
                return card
        raise KeyError(f"unknown scorecard {scorecard_id!r}")

    def service_level(self, channel: Channel, queue: str | None) -> ServiceLevelTarget:
        by_channel = [t for t in self.service_levels if t.channel == channel]
        for target in by_channel:
            if target.queue is not None and target.queue == queue:
                return target
        for target in by_channel:
            if target.queue is None:
                return target
        raise KeyError(f"no service-level target for channel {channel.value}")

    def aht_band(self, channel: Channel) -> AhtBand | None:
        return next((b for b in self.aht_bands if b.channel == channel), None)


class StandardsError(ValueError):
    """A standards file is invalid: the message names the file, the path, the line, the reason."""


def content_hash(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:12]


def _line_of(node: yaml.Node | None, path: tuple[Any, ...]) -> int | None:
    """The 1-based line of `path` inside a composed YAML document (deepest node found)."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in path:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == str(part)), None)
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value)
        ):
            node = node.value[part]
        else:
            break
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def _load(path: Path, model: type[BaseModel]) -> tuple[Any, Any]:
    try:
        text = path.read_text()
        raw = yaml.safe_load(text)
        tree = yaml.compose(text)
    except (OSError, yaml.YAMLError) as exc:
        raise StandardsError(f"{path}: {exc}") from exc
    try:
        return model.model_validate(raw), raw
    except ValidationError as err:
        first = err.errors()[0]
        loc = tuple(
            p for p in first["loc"] if not (isinstance(p, str) and p.startswith("function"))
        )
        where = ".".join(str(p) for p in loc) or "(document)"
        line = _line_of(tree, loc)
        at = f" (line {line})" if line else ""
        raise StandardsError(f"{path}: {where}{at}: {first['msg']}") from err


def load_standards(folder: Path) -> Standard:
    """Load and validate a standards folder; never returns a half-valid standard."""
    main = folder / "standard.yaml"
    if not main.exists():
        raise StandardsError(f"{main}: file not found")
    standard, raw = _load(main, Standard)
    if standard.scorecards:
        raise StandardsError(f"{main}: scorecards: put each scorecard in scorecards/*.yaml")
    cards = []
    for path in sorted((folder / "scorecards").glob("*.yaml")):
        card, card_raw = _load(path, Scorecard)
        cards.append(card.model_copy(update={"version": content_hash(card_raw)}))
        raw = {**raw, f"scorecard:{card.id}": card_raw}
    monitoring = MonitoringConfig()
    if (folder / "monitoring.yaml").exists():
        monitoring, monitoring_raw = _load(folder / "monitoring.yaml", MonitoringConfig)
        raw = {**raw, "monitoring": monitoring_raw}
    ids = [c.id for c in cards]
    if len(ids) != len(set(ids)):
        raise StandardsError(f"{folder / 'scorecards'}: duplicate scorecard ids {sorted(ids)}")
    return standard.model_copy(
        update={"scorecards": tuple(cards), "monitoring": monitoring, "version": content_hash(raw)}
    )
