"""Action rules as versioned configuration: parsed data in, validated rules out, errors naming
the origin (file) and the path inside it. Pure: reading the file is the edge's job."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from contracts.actions import ActionKind, ScopeType
from services.actions.domain.observation import Observation


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


class Statistical(_Strict):
    """A pattern, not a data point: the window's failure rate is worse than target with the
    configured confidence (`wilson`: the interval's lower bound is above `max_rate`), or out of
    control against the scope's own history (`p_chart`: above the upper control limit)."""

    type: Literal["statistical"]
    method: Literal["wilson", "p_chart"] = "wilson"
    max_rate: Annotated[float, Field(ge=0, le=1)] = 0.2
    confidence: Annotated[float, Field(gt=0.5, lt=1)] = 0.95
    sigmas: Annotated[float, Field(gt=0)] = 3.0
    baseline_last: Annotated[int, Field(ge=10, le=10_000)] = 200
    min_baseline: Annotated[int, Field(ge=5)] = 30
    min_events: Annotated[int, Field(ge=1)] = 5


class Failure(_Strict):
    """What counts as a failed observation for a statistical rule (exactly one)."""

    # A scorecard criterion answered "no", or a metric's failure flag: fcr (not resolved at
    # first contact), aht_long, csat_not_satisfied, nps_detractor.
    criterion: str | None = None
    score_below: Annotated[float, Field(ge=0, le=100)] | None = None
    critical: bool = False


class Attribution(_Strict):
    """Systemic vs individual: many agents of a team failing alike is one team improvement
    action; coaching only for an agent out of line with peers."""

    systemic_share: Annotated[float, Field(gt=0, le=1)] = 0.5
    min_agents: Annotated[int, Field(ge=2)] = 3
    outlier_confidence: Annotated[float, Field(gt=0.5, lt=1)] = 0.95


Trigger = Annotated[Immediate | Fixed | Statistical, Field(discriminator="type")]


class Rule(_Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9\-]*$")]
    description: str = ""
    kind: ActionKind
    scope: ScopeType
    metric: Literal["qa_score", "auto_qa_score", "fcr", "aht", "csat", "nps"]
    window_last: Annotated[int, Field(ge=1, le=1000)] = 10
    # A time window instead: the observations of the last N hours (up to 2,000 of them).
    window_hours: Annotated[float, Field(gt=0, le=24 * 90)] | None = None
    trigger: Trigger
    failure: Failure | None = None  # required by statistical triggers
    attribution: Attribution | None = None
    due_in_days: Annotated[int, Field(ge=1, le=365)] = 14
    cooldown_days: Annotated[float, Field(ge=0, le=365)] = 7  # after a close, before a re-raise
    suggested_activity: str | None = None

    @model_validator(mode="after")
    def _coherent(self) -> Self:
        if isinstance(self.trigger, Statistical):
            f = self.failure
            if (
                f is None
                or sum([f.criterion is not None, f.score_below is not None, f.critical]) != 1
            ):
                raise ValueError(
                    "a statistical rule needs exactly one failure definition "
                    "(criterion, score_below or critical)"
                )
        if self.attribution is not None and self.scope != ScopeType.AGENT:
            raise ValueError("attribution applies to agent-scoped rules")
        if self.scope in (ScopeType.CHANNEL, ScopeType.COMPLAINT_CATEGORY):
            raise ValueError(
                f"scope {self.scope.value} is not supported by window rules "
                "(complaint-category spikes are built-in alerts); use agent, "
                "team or queue"
            )
        if self.scope in (ScopeType.TEAM, ScopeType.QUEUE) and self.kind != ActionKind.IMPROVEMENT:
            raise ValueError(f"a {self.scope.value}-scoped rule raises improvement actions")
        if self.scope != ScopeType.AGENT and isinstance(self.trigger, Immediate):
            raise ValueError("immediate rules are agent-scoped")
        return self

    def window(self, history: list[Observation]) -> tuple[list[Observation], list[Observation]]:
        """(window, baseline before it) from a scope's history, oldest first."""
        if self.window_hours is None or not history:
            return history[-self.window_last :], history[: -self.window_last]
        start = history[-1].at - timedelta(hours=self.window_hours)
        cut = next((n for n, o in enumerate(history) if o.at >= start), len(history))
        return history[cut:], history[:cut]


class RuleSet(_Strict):
    rules: tuple[Rule, ...]
    version: str = ""


class RulesError(ValueError):
    pass


def parse_rules(raw: object, origin: str) -> RuleSet:
    """Validate parsed rules (e.g. a YAML document); the version is a hash of the content, so
    comments and formatting do not change it. Errors start with `origin`."""
    try:
        parsed = RuleSet.model_validate(raw)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise RulesError(f"{origin}: {where}: {first['msg']}") from err
    ids = [r.id for r in parsed.rules]
    if len(ids) != len(set(ids)):
        raise RulesError(f"{origin}: rules: duplicate rule id")
    canonical = json.dumps(raw, sort_keys=True, default=str).encode()
    return parsed.model_copy(update={"version": hashlib.sha256(canonical).hexdigest()[:12]})
