"""Injected problems and the ground truth the platform is scored against. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from simulator.model import Agent


@dataclass(frozen=True)
class Scenarios:
    # 1. Systemic: a process change at `systemic_from` makes most of one team skip the summary.
    systemic_team: str = "team-north"
    systemic_agents: int = 5  # of the team's six
    systemic_from: time = time(12, 0)
    systemic_miss: float = 0.92
    # 2. One agent who needs coaching: skips the summary most of the day, peers do not.
    coaching_agent: str = "south-3"
    coaching_miss: float = 0.8
    # 3. Understaffing: half an hour of one queue with 40% of the planned agents.
    understaffed_queue: str = "billing"
    understaffed_at: time = time(10, 30)
    understaffed_intervals: int = 2
    staff_factor: float = 0.4
    # 4. A complaint spike in one category in the afternoon.
    spike_category: str = "billing-error"
    spike_extra: int = 14
    spike_from: time = time(13, 0)
    spike_until: time = time(17, 0)
    # 5. Noise that must raise nothing.
    noise_category: str = "data-privacy"
    noise_bad_surveys: int = 2
    noise_bad_call_agent: str = "east-2"

    def understaffed(self, day: date) -> list[datetime]:
        start = datetime.combine(day, self.understaffed_at, UTC)
        return [start + timedelta(minutes=15 * n) for n in range(self.understaffed_intervals)]

    def misses_summary(self, agent: Agent, team_agents: list[str], at: datetime) -> float | None:
        """The injected probability of skipping the summary, or None (the agent's own skill)."""
        if agent.agent_id == self.coaching_agent:
            return self.coaching_miss
        affected = (
            team_agents[: self.systemic_agents] if agent.team_id == self.systemic_team else []
        )
        if agent.agent_id in affected and at.time() >= self.systemic_from:
            return self.systemic_miss
        return None


def ground_truth(s: Scenarios, seed: int, day: date, noise_scopes: list[str]) -> dict[str, Any]:
    """What a correct platform raises for this day — and where it must raise nothing."""
    return {
        "seed": seed,
        "day": day.isoformat(),
        "scenarios": [
            {
                "id": "systemic-summary",
                "description": f"From {s.systemic_from:%H:%M} {s.systemic_agents} of the six "
                f"agents in {s.systemic_team} skip the closing summary (a process change).",
                "expect": [
                    {
                        "action": "improvement",
                        "scope": f"team:{s.systemic_team}",
                        "rule_id": "summary-missing-pattern",
                    }
                ],
            },
            {
                "id": "coaching-summary",
                "description": f"{s.coaching_agent} skips the summary in most contacts; "
                "team peers do not.",
                "expect": [
                    {
                        "action": "coaching",
                        "scope": f"agent:{s.coaching_agent}",
                        "rule_id": "summary-missing-pattern",
                    }
                ],
            },
            {
                "id": "understaffed-interval",
                "description": f"{s.understaffed_queue} staffed at {s.staff_factor:.0%} of plan "
                f"from {s.understaffed_at:%H:%M} for {15 * s.understaffed_intervals} minutes.",
                "expect": [
                    {
                        "alert": "service_level",
                        "scope": f"queue:{s.understaffed_queue}",
                        "intervals": [t.isoformat() for t in s.understaffed(day)],
                    }
                ],
                # The same incident seen through abandonment is right too, not a false alarm.
                "also_accept": [{"alert": "abandonment", "scope": f"queue:{s.understaffed_queue}"}],
            },
            {
                "id": "complaint-spike",
                "description": f"{s.spike_extra} extra '{s.spike_category}' complaints between "
                f"{s.spike_from:%H:%M} and {s.spike_until:%H:%M}.",
                "expect": [
                    {"alert": "complaint_spike", "scope": f"complaint_category:{s.spike_category}"},
                    {
                        "action": "improvement",
                        "scope": f"complaint_category:{s.spike_category}",
                        "rule_id": "complaint-spike",
                    },
                ],
            },
            {
                "id": "noise",
                "description": "One-off complaints, single bad surveys and one agent's single "
                "bad call: nothing should be raised for these.",
                "expect": [],
                "must_not_raise_for": sorted(noise_scopes),
            },
        ],
    }
