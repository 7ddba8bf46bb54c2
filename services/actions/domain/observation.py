"""Observations: the metric streams rules watch, read from scored events. Pure.

QA results are read through the AutoQA trust gate (`trust.trusted`): an automated answer
marked unverified is neither a pass nor a failure and breaches nothing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from contracts.events import EvaluationScoredEvent, InteractionScoredEvent, SurveyScoredEvent
from services.actions.domain.trust import trusted


@dataclass(frozen=True, slots=True)
class Observation:
    """One scored fact about one agent, as the window rules see it."""

    event_id: str
    metric: str
    agent_id: str
    team_id: str | None
    queue: str | None
    at: datetime
    value: float
    critical_failed: bool
    evidence_id: str  # the interaction (or evaluation) an action can cite
    passed: tuple[str, ...] = field(default=())
    failed: tuple[str, ...] = field(default=())


Scored = InteractionScoredEvent | EvaluationScoredEvent | SurveyScoredEvent


def observe_all(events: Iterable[object]) -> list[Observation]:
    """Every observation in a batch of events, in event order (other events have none)."""
    return [o for e in events if isinstance(e, Scored) for o in observe(e)]


def observe(event: Scored) -> list[Observation]:
    """The metric streams rules can watch. Failure flags name what went wrong, so a rule's
    `failure.criterion` can point at a scorecard criterion or at `fcr`, `aht_long`,
    `csat_not_satisfied`, `nps_detractor`."""
    if isinstance(event, InteractionScoredEvent):
        return _interaction(event)
    if isinstance(event, SurveyScoredEvent):
        s = event.data
        survey = s.survey
        if survey.agent_id is None:
            return []
        out = []
        ref = survey.interaction_id or survey.response_id
        if s.csat_top2 is not None and survey.csat is not None:
            flags = () if s.csat_top2 else ("csat_not_satisfied",)
            out.append(
                Observation(
                    event.id,
                    "csat",
                    survey.agent_id,
                    survey.team_id,
                    survey.queue,
                    survey.responded_at,
                    survey.csat,
                    False,
                    ref,
                    failed=flags,
                )
            )
        if s.nps_category is not None and survey.nps is not None:
            flags = ("nps_detractor",) if s.nps_category == "detractor" else ()
            out.append(
                Observation(
                    event.id,
                    "nps",
                    survey.agent_id,
                    survey.team_id,
                    survey.queue,
                    survey.responded_at,
                    survey.nps,
                    False,
                    ref,
                    failed=flags,
                )
            )
        return out
    e = event.data
    if not e.counts_toward_agent:  # calibration scores never count toward an agent
        return []
    qa = trusted(e.qa)
    if qa.score is None:
        return []
    return [
        Observation(
            event.id,
            "qa_score",
            e.agent_id,
            e.team_id,
            None,
            e.evaluated_at,
            qa.score,
            qa.critical_failed,
            e.interaction_id,
            qa.passed,
            qa.failed,
        )
    ]


def _interaction(event: InteractionScoredEvent) -> list[Observation]:
    i, auto, op = event.data.interaction, event.data.auto_qa, event.data.operational
    if i.agent_id is None:
        return []
    out = []
    qa = trusted(auto) if auto is not None else None
    if qa is not None and qa.score is not None:  # None: every answer unverified
        out.append(
            Observation(
                event.id,
                "auto_qa_score",
                i.agent_id,
                i.team_id,
                i.queue,
                i.ended_at,
                qa.score,
                qa.critical_failed,
                i.interaction_id,
                qa.passed,
                qa.failed,
            )
        )
    if op.resolved_first_contact is not None:
        flags = () if op.resolved_first_contact else ("fcr",)
        out.append(
            Observation(
                event.id,
                "fcr",
                i.agent_id,
                i.team_id,
                i.queue,
                i.ended_at,
                float(op.resolved_first_contact),
                False,
                i.interaction_id,
                failed=flags,
            )
        )
    if op.aht_band is not None:
        flags = ("aht_long",) if op.aht_band == "long" else ()
        out.append(
            Observation(
                event.id,
                "aht",
                i.agent_id,
                i.team_id,
                i.queue,
                i.ended_at,
                op.handle_seconds,
                False,
                i.interaction_id,
                failed=flags,
            )
        )
    return out
