"""The organisation's standards as versioned configuration: service-level targets, AHT bands,
FCR, abandonment, survey and complaint targets, scorecards, monitoring plans.

Read from a folder of YAML files at the edge (`services/scoring/standards_files.py`) and
validated and assembled from the parsed documents here (`domain/standards_assembly.py`).
"""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from contracts.common import Channel, Severity
from services.scoring.domain.detectors import Detector
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
        if self.detector and self.detector.applies_when and not self.na_allowed:
            raise ValueError("a criterion that applies only when due (applies_when) needs N/A")
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
