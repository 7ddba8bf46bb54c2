"""What a batch of scored events means for monitoring plans. Pure.

Scored interactions and complaints linked to an interaction become candidates for human
evaluation (quotas are applied later against what is already assigned); a human evaluation that
counts toward its agent completes the interaction's assignments; automated and human answers to
the automated criteria are kept side by side to measure the automated checks.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from contracts.envelope import CloudEvent
from contracts.events import ComplaintScoredEvent, EvaluationScoredEvent, InteractionScoredEvent
from services.scoring.domain.monitoring import Candidate, Plan, candidate, complaint_candidate


@dataclass(frozen=True, slots=True)
class Completion:
    """An evaluation done for an interaction: its open assignments are complete."""

    interaction_id: str
    evaluation_id: str
    evaluated_at: datetime


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer to an automated criterion; a human answer names its evaluation and when it
    was given (the trust gate's window is timed by it)."""

    interaction_id: str
    criterion_id: str
    answer: str
    evaluation_id: str | None = None
    at: datetime | None = None


@dataclass(frozen=True, slots=True)
class MonitoringUpdates:
    candidates: tuple[Candidate, ...] = ()
    completions: tuple[Completion, ...] = ()
    auto_answers: tuple[Answer, ...] = ()
    human_answers: tuple[Answer, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.candidates or self.completions or self.auto_answers or self.human_answers)


def monitoring_updates(
    plans: Collection[Plan], events: Iterable[CloudEvent[Any]], automated_criteria: Collection[str]
) -> MonitoringUpdates:
    """Candidates, completions and answers from a batch of scored events, in event order."""
    candidates: list[Candidate] = []
    completions: list[Completion] = []
    auto: list[Answer] = []
    human: list[Answer] = []
    for e in events:
        if isinstance(e, InteractionScoredEvent):
            candidates += [x for p in plans if (x := candidate(p, e.data))]
            if e.data.auto_qa is not None:
                iid = e.data.interaction.interaction_id
                auto += [
                    Answer(iid, c.criterion_id, str(c.answer))
                    for c in e.data.auto_qa.criteria
                    if c.answer != "na"
                ]
        elif isinstance(e, ComplaintScoredEvent):
            c = e.data.complaint
            if c.interaction_id and c.agent_id:
                iid, agent, team, channel = c.interaction_id, c.agent_id, c.team_id, c.channel
                candidates += [
                    x
                    for p in plans
                    if (x := complaint_candidate(p, iid, agent, team, channel.value, c.raised_at))
                ]
        elif isinstance(e, EvaluationScoredEvent) and e.data.counts_toward_agent:
            d = e.data
            completions.append(Completion(d.interaction_id, d.evaluation_id, d.evaluated_at))
            human += [
                Answer(
                    d.interaction_id, c.criterion_id, str(c.answer), d.evaluation_id, d.evaluated_at
                )
                for c in d.qa.criteria
                if c.answer != "na" and c.criterion_id in automated_criteria
            ]
    return MonitoringUpdates(tuple(candidates), tuple(completions), tuple(auto), tuple(human))
