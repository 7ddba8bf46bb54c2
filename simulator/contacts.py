"""A day's contacts per queue and interval: arrivals, waits from staffing, abandonment from
patience, lognormal handle times, transfers, first-contact resolution, repeat callers, and
what the agent did on each contact. Pure (seeded generators passed in)."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np

from simulator.arrivals import arrivals, expected_per_interval, mean_wait_s, occupancy, staffing
from simulator.model import BEHAVIOURS, Agent, Centre, Queue
from simulator.scenarios import Scenarios

WAIT_SCALE_S = {"voice": 5.0, "chat": 15.0, "email": 1800.0}
PATIENCE_MEDIAN_S = {"voice": 150.0, "chat": 400.0}  # email customers do not abandon
# Few customers give up within seconds: ordinary intervals stay well under the 5% abandonment
# target, so only the understaffed one (waits of minutes) breaks it.
PATIENCE_SIGMA = 0.6


@dataclass
class Contact:
    interaction_id: str
    queue: Queue
    offered_at: datetime
    wait_s: float
    abandoned: bool
    customer_id: str
    agent: Agent | None = None
    talk_s: float = 0.0
    hold_s: float = 0.0
    acw_s: float = 0.0
    transferred: bool = False
    resolved: bool | None = None
    shows: dict[str, bool] | None = None

    @property
    def ended_at(self) -> datetime:
        return self.offered_at + timedelta(
            seconds=self.wait_s + self.talk_s + self.hold_s + self.acw_s
        )

    @property
    def poor(self) -> bool:
        """How a customer would see it: long wait, gave up, not fixed, or a careless agent."""
        missed = sum(1 for v in (self.shows or {}).values() if not v)
        long_wait = self.wait_s > 4 * WAIT_SCALE_S[self.queue.channel] * 6
        return self.abandoned or long_wait or self.resolved is False or missed >= 3


def _lognormal(rng: np.random.Generator, mean: float, sigma: float) -> float:
    mu = math.log(mean) - sigma * sigma / 2  # so the distribution's mean is `mean`
    return float(rng.lognormal(mu, sigma))


class ContactMaker:
    def __init__(self, centre: Centre, scenarios: Scenarios, seed: int, day: date) -> None:
        self.centre, self.s, self.day = centre, scenarios, day
        self.np = np.random.default_rng(seed)
        self.rng = random.Random(seed)
        self.unresolved: list[str] = []  # customers likely to call back
        self.count = 0
        self.seed = seed

    def day_of_contacts(self) -> list[Contact]:
        out: list[Contact] = []
        short = set(self.s.understaffed(self.day))
        intervals = self.centre.intervals(self.day)
        for q in self.centre.queues:
            for start, mean in zip(
                intervals, expected_per_interval(intervals, q.daily_volume), strict=True
            ):
                staff = staffing(mean, q.mean_handle_s)
                if q.queue == self.s.understaffed_queue and start in short:
                    staff *= self.s.staff_factor
                times = arrivals(self.np, start, mean)
                # Staff is planned on the forecast; the realised count moves the load a little.
                rho = occupancy(0.85 * mean + 0.15 * len(times), q.mean_handle_s, staff)
                wait_mean = mean_wait_s(rho, WAIT_SCALE_S[q.channel])
                out += [self._contact(q, t, wait_mean) for t in times]
        return sorted(out, key=lambda c: (c.offered_at, c.interaction_id))

    def _customer(self) -> str:
        if self.unresolved and self.rng.random() < 0.08:  # a repeat contact
            return self.unresolved.pop(self.rng.randrange(len(self.unresolved)))
        return f"CUST-{self.rng.randint(100000, 999999)}"

    def _contact(self, q: Queue, at: datetime, wait_mean: float) -> Contact:
        self.count += 1
        wait = float(self.np.exponential(wait_mean)) if self.rng.random() > 0.35 else 0.0
        c = Contact(
            f"sim{self.seed}-{self.day:%Y%m%d}-{self.count:06d}",
            q,
            at,
            wait,
            False,
            self._customer(),
        )
        if q.channel in PATIENCE_MEDIAN_S:
            patience = _lognormal(self.np, PATIENCE_MEDIAN_S[q.channel] * 1.2, PATIENCE_SIGMA)
            if wait > patience:
                c.abandoned, c.wait_s = True, patience
                return c
        team_agents = [a for a in self.centre.agents if a.team_id in q.teams]
        agent = team_agents[self.rng.randrange(len(team_agents))]
        c.agent = agent
        c.talk_s = _lognormal(self.np, q.mean_handle_s * agent.aht_factor * 0.72, 0.45)
        c.hold_s = _lognormal(self.np, 60, 0.6) if self.rng.random() < 0.25 else 0.0
        c.acw_s = _lognormal(self.np, q.mean_handle_s * 0.2, 0.4)
        c.transferred = self.rng.random() < 0.05
        c.resolved = (not c.transferred) and self.rng.random() < agent.fcr / 0.95
        if not c.resolved:
            self.unresolved.append(c.customer_id)
        peers = [a.agent_id for a in self.centre.team(agent.team_id)]
        miss = self.s.misses_summary(agent, peers, at)
        c.shows = {b: self.rng.random() < agent.skill[b] for b in BEHAVIOURS}
        if miss is not None:
            c.shows["summary"] = self.rng.random() >= miss
        return c
