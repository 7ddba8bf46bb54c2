"""Monitoring plans: which interactions get a human evaluation. Pure.

A plan (per team and channel set) asks for N evaluations per agent per ISO week, split evenly
across its channels when stratified, drawn at random with a seed (a keyed hash of the
interaction id, so the draw is reproducible and needs no state), plus risk-based picks within
their own weekly quota: low automated score, very long handle time, a complaint linked to the
interaction. Quotas are counted against what is already assigned (the caller's state).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from contracts.scores import AssignmentReason, InteractionScored


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RiskRules(_Strict):
    auto_qa_below: Annotated[float, Field(ge=0, le=100)] | None = 70
    handle_seconds_above: Annotated[float, Field(gt=0)] | None = 1200
    complaint_linked: bool = True
    per_agent_per_week: Annotated[int, Field(ge=0)] = 2


class Plan(_Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9\-]*$")]
    teams: tuple[str, ...] = ("*",)
    channels: Annotated[
        tuple[Literal["voice", "chat", "email", "social", "in_person"], ...], Field(min_length=1)
    ] = ("voice", "chat", "email")
    evaluations_per_agent_per_week: Annotated[int, Field(ge=0, le=100)] = 4
    stratify_by_channel: bool = True
    sample_rate: Annotated[float, Field(gt=0, le=1)] = 0.2
    seed: int = 1
    due_in_days: Annotated[int, Field(ge=1)] = 7
    risk: RiskRules = RiskRules()

    def covers(self, team: str | None, channel: str) -> bool:
        return channel in self.channels and ("*" in self.teams or (team or "") in self.teams)

    def random_quota(self, channel: str) -> int:
        if not self.stratify_by_channel:
            return self.evaluations_per_agent_per_week
        return math.ceil(self.evaluations_per_agent_per_week / len(self.channels))


class MonitoringConfig(_Strict):
    plans: tuple[Plan, ...] = ()


def iso_week(at: datetime) -> str:
    year, week, _ = at.isocalendar()
    return f"{year}-W{week:02d}"


def draw(seed: int, interaction_id: str) -> float:
    """A reproducible uniform draw in [0, 1) for this plan seed and interaction."""
    digest = hashlib.blake2b(f"{seed}:{interaction_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


@dataclass(frozen=True, slots=True)
class Candidate:
    plan_id: str
    interaction_id: str
    agent_id: str
    team_id: str | None
    channel: str
    week: str
    reason: AssignmentReason
    at: datetime

    @property
    def bucket(self) -> tuple[str, str, str, str]:
        """What a quota counts: random picks per channel, risk picks per agent-week."""
        kind = self.channel if self.reason is AssignmentReason.RANDOM else "risk"
        return (self.plan_id, self.agent_id, self.week, kind)


def candidate(plan: Plan, s: InteractionScored) -> Candidate | None:
    """Would this plan like this interaction evaluated, and why? (quotas not yet applied)"""
    i = s.interaction
    if i.abandoned or i.agent_id is None or not plan.covers(i.team_id, i.channel.value):
        return None
    reason = None
    risk = plan.risk
    if risk.per_agent_per_week:
        if (
            risk.auto_qa_below is not None
            and s.auto_qa is not None
            and s.auto_qa.score < risk.auto_qa_below
        ):
            reason = AssignmentReason.LOW_AUTO_SCORE
        elif risk.handle_seconds_above is not None and i.handle_seconds > risk.handle_seconds_above:
            reason = AssignmentReason.LONG_HANDLE
    if reason is None and draw(plan.seed, i.interaction_id) < plan.sample_rate:
        reason = AssignmentReason.RANDOM
    if reason is None:
        return None
    return Candidate(
        plan.id,
        i.interaction_id,
        i.agent_id,
        i.team_id,
        i.channel.value,
        iso_week(i.ended_at),
        reason,
        i.ended_at,
    )


def complaint_candidate(
    plan: Plan, interaction_id: str, agent_id: str, team_id: str | None, channel: str, at: datetime
) -> Candidate | None:
    if not plan.risk.complaint_linked or not plan.risk.per_agent_per_week:
        return None
    if not plan.covers(team_id, channel):
        return None
    return Candidate(
        plan.id,
        interaction_id,
        agent_id,
        team_id,
        channel,
        iso_week(at),
        AssignmentReason.COMPLAINT_LINKED,
        at,
    )


def select(
    plans: Mapping[str, Plan],
    candidates: Sequence[Candidate],
    assigned: Mapping[tuple[str, str, str, str], int],
) -> list[Candidate]:
    """Apply quotas in order: `assigned` counts what each bucket already holds."""
    counts = dict(assigned)
    picked: list[Candidate] = []
    seen: set[tuple[str, str]] = set()
    for c in candidates:
        plan = plans[c.plan_id]
        quota = (
            plan.risk.per_agent_per_week
            if c.reason is not AssignmentReason.RANDOM
            else plan.random_quota(c.channel)
        )
        if (c.plan_id, c.interaction_id) in seen or counts.get(c.bucket, 0) >= quota:
            continue
        counts[c.bucket] = counts.get(c.bucket, 0) + 1
        seen.add((c.plan_id, c.interaction_id))
        picked.append(c)
    return picked
