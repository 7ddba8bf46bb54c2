"""The simulated centre: teams, agents with skill profiles, queues and their staffing. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

Channel = Literal["voice", "chat", "email"]
# Behaviours a transcript shows or misses; they map onto core-qa.yaml's AutoQA criteria.
BEHAVIOURS = (
    "greeting",
    "data-protection-statement",
    "identity-verification",
    "empathy",
    "resolution-or-next-steps",
    "ownership",
    "summary",
    "anything-else",
)


@dataclass(frozen=True)
class Agent:
    agent_id: str
    team_id: str
    # Probability of showing each behaviour on a contact (identity checks are near-certain:
    # a missed one is a critical failure and rightly coached at once).
    skill: dict[str, float]
    aht_factor: float = 1.0
    fcr: float = 0.8


@dataclass(frozen=True)
class Queue:
    queue: str
    channel: Channel
    daily_volume: int
    teams: tuple[str, ...]  # teams whose agents answer this queue
    mean_handle_s: float


@dataclass(frozen=True)
class Centre:
    agents: tuple[Agent, ...]
    queues: tuple[Queue, ...]
    opens: time = time(8, 0)
    closes: time = time(20, 0)
    complaint_categories: dict[str, float] = field(default_factory=dict)  # mean per day

    def team(self, team_id: str) -> list[Agent]:
        return [a for a in self.agents if a.team_id == team_id]

    def intervals(self, day: date) -> list[datetime]:
        """The day's 15-minute intervals while the centre is open (UTC)."""
        start = datetime.combine(day, self.opens).replace(tzinfo=UTC)
        end = datetime.combine(day, self.closes).replace(tzinfo=UTC)
        out = []
        while start < end:
            out.append(start)
            start += timedelta(minutes=15)
        return out


TEAMS = ("team-north", "team-south", "team-east")


def skill_profile(n: int, t: int) -> dict[str, float]:
    """A good agent, each a little different (0.95-0.99 per behaviour). Identity checks are
    certain: a missed one is a critical failure, which must only come from a scenario."""
    skill = {b: 0.95 + 0.01 * ((n * 3 + t + k) % 5) for k, b in enumerate(BEHAVIOURS)}
    return skill | {"identity-verification": 1.0}


def default_centre(scale: float = 1.0) -> Centre:
    """Three teams of six; billing and support by voice, chat, email."""
    agents = []
    for t, team in enumerate(TEAMS):
        for n in range(6):
            # A little spread between agents: some slower, some better at first-contact fixes
            # (FCR 78-86%: far enough under fcr-pattern's 35% failure limit that a short
            # early-morning window does not breach it by chance).
            agents.append(
                Agent(
                    f"{team.split('-')[1]}-{n + 1}",
                    team,
                    skill_profile(n, t),
                    aht_factor=0.85 + 0.06 * ((n * 7 + t) % 6),
                    fcr=0.78 + 0.02 * ((n + t) % 5),
                )
            )
    queues = (
        Queue("billing", "voice", round(1500 * scale), ("team-north", "team-east"), 300),
        Queue("support", "voice", round(1100 * scale), ("team-south", "team-east"), 420),
        Queue("chat", "chat", round(700 * scale), ("team-south",), 540),
        Queue("email", "email", round(400 * scale), ("team-north",), 360),
    )
    categories = {"billing-error": 1.5, "long-wait": 1.5, "product-fault": 1.0, "rude-agent": 0.5}
    return Centre(tuple(agents), queues, complaint_categories=categories)
