"""A whole simulated day: contacts, surveys, complaints (with history), evaluations, a
calibration session, the injected scenarios and the ground truth. Pure and deterministic:
the same seed gives byte-identical events."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np

from simulator import feedback
from simulator.contacts import Contact, ContactMaker
from simulator.events import interaction
from simulator.model import BEHAVIOURS, Centre, default_centre
from simulator.scenarios import Scenarios, ground_truth


@dataclass
class Day:
    events: list[dict[str, Any]]  # ordered by event time
    truth: dict[str, Any]
    contacts: list[Contact]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for e in self.events:
            kind = e["type"].removeprefix("io.qualityloop.")
            out[kind] = out.get(kind, 0) + 1
        return out


def simulate(
    seed: int,
    day: date,
    scale: float = 1.0,
    history_days: int = 14,
    centre: Centre | None = None,
    scenarios: Scenarios | None = None,
    qa: str = "sample",
) -> Day:
    """`qa="sample"`: four evaluations per agent drawn here; `qa="plan"`: only the calibration
    session here — the QA desk evaluates what scoring's monitoring plan assigns."""
    centre = centre or default_centre(scale)
    s = scenarios or Scenarios()
    rng = random.Random(seed * 7919 + 1)
    closes = datetime.combine(day, centre.closes, UTC)
    contacts = ContactMaker(centre, s, seed, day).day_of_contacts()
    handled = [c for c in contacts if c.agent is not None]
    noise_scopes = _noise_bad_call(rng, handled, s)
    events = [interaction(rng, c) for c in contacts]

    surveyed = [c for c in handled if rng.random() < 0.15]
    bad = set(id(c) for c in rng.sample([c for c in surveyed if not c.poor], s.noise_bad_surveys))
    for c in surveyed:
        at = c.ended_at + timedelta(minutes=rng.randint(5, 90))
        events.append(feedback.survey(rng, c, at, bad=id(c) in bad))
    noise_scopes += [f"agent:{c.agent.agent_id}" for c in surveyed if id(c) in bad and c.agent]

    events += _complaints(rng, seed, contacts, centre, s, day, closes)
    noise_scopes.append(f"complaint_category:{s.noise_category}")
    events += feedback.history_complaints(rng, day, history_days, centre.complaint_categories)
    events += _evaluations(rng, handled, closes, per_agent=4 if qa == "sample" else 0)
    events.sort(key=lambda e: (e["time"], e["id"]))
    truth = ground_truth(s, seed, day, noise_scopes)
    return Day(events, truth, contacts)


def _noise_bad_call(rng: random.Random, handled: list[Contact], s: Scenarios) -> list[str]:
    """One careless call (no courtesy, no summary) by an otherwise good agent."""
    theirs = [c for c in handled if c.agent and c.agent.agent_id == s.noise_bad_call_agent]
    if not theirs:
        return []
    c = rng.choice(theirs)
    c.shows = dict.fromkeys(BEHAVIOURS, False) | {"identity-verification": True}
    return [f"agent:{s.noise_bad_call_agent}"]


def _complaints(
    rng: random.Random,
    seed: int,
    contacts: list[Contact],
    centre: Centre,
    s: Scenarios,
    day: date,
    closes: datetime,
) -> list[dict[str, Any]]:
    """The usual daily complaints per category, each linked to a poorly handled contact, plus
    the injected spike and a one-off complaint in a quiet category."""
    gen = np.random.default_rng(seed + 17)
    poor = [c for c in contacts if c.poor] or contacts
    later = closes + timedelta(hours=2)
    out: list[dict[str, Any]] = []
    for category, mean in sorted(centre.complaint_categories.items()):
        for n in range(int(gen.poisson(mean))):
            c = rng.choice(poor)
            at = c.ended_at + timedelta(minutes=rng.randint(20, 120))
            out += feedback.complaint_events(
                rng, f"cmp-{day:%Y%m%d}-{category}-{n}", category, at, later, c
            )
    billing = [
        c
        for c in contacts
        if c.queue.queue == "billing" and s.spike_from <= c.offered_at.time() < s.spike_until
    ]
    for n in range(s.spike_extra):
        c = rng.choice(billing)
        at = c.ended_at + timedelta(minutes=rng.randint(5, 60))
        out += feedback.complaint_events(
            rng, f"cmp-{day:%Y%m%d}-spike-{n}", s.spike_category, at, later, c
        )
    c = rng.choice(contacts)
    out += feedback.complaint_events(
        rng,
        f"cmp-{day:%Y%m%d}-noise",
        s.noise_category,
        c.ended_at + timedelta(minutes=45),
        later,
        c,
    )
    return out


def _evaluations(
    rng: random.Random, handled: list[Contact], closes: datetime, per_agent: int
) -> list[dict[str, Any]]:
    """Four evaluations per agent (the monitoring plan's quota) and one calibration session
    where all evaluators score the same morning call."""
    out: list[dict[str, Any]] = []
    by_agent: dict[str, list[Contact]] = {}
    for c in handled:
        assert c.agent is not None
        by_agent.setdefault(c.agent.agent_id, []).append(c)
    for agent_id in sorted(by_agent):
        for c in rng.sample(by_agent[agent_id], min(per_agent, len(by_agent[agent_id]))):
            at = min(c.ended_at + timedelta(minutes=rng.randint(30, 150)), closes)
            out.append(feedback.evaluation(rng, c, rng.choice(feedback.EVALUATORS), at))
    morning = [c for c in handled if c.queue.channel == "voice" and c.offered_at.time() < time(10)]
    if morning:
        c = rng.choice(morning)
        session = f"cal-{c.offered_at:%Y%m%d}"
        for n, evaluator in enumerate(feedback.EVALUATORS):
            at = closes - timedelta(minutes=30 - 5 * n)
            out.append(feedback.evaluation(rng, c, evaluator, at, session))
    return out


def yesterday() -> date:
    return (datetime.now(UTC) - timedelta(days=1)).date()
