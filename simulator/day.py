"""A whole simulated day: contacts, surveys, complaints (with history), evaluations, a
calibration session, the injected scenarios and the ground truth. Pure and deterministic:
the same seed gives byte-identical events."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from simulator.complaints import day_of_complaints, history_complaints
from simulator.contacts import Contact, ContactMaker
from simulator.evaluations import day_of_evaluations
from simulator.events import interaction
from simulator.model import BEHAVIOURS, Centre, default_centre
from simulator.scenarios import Scenarios, ground_truth
from simulator.surveys import day_of_surveys


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
    qa: Literal["sample", "plan"] = "sample",
    wording: Literal["templated", "natural"] = "templated",
) -> Day:
    """`qa="sample"`: four evaluations per agent drawn here; `qa="plan"`: only the calibration
    session here — the QA desk evaluates what scoring's monitoring plan assigns. `wording`:
    transcripts in the detectors' own phrases, or in natural wording (simulator/natural.py)."""
    centre = centre or default_centre(scale)
    s = scenarios or Scenarios()
    rng = random.Random(seed * 7919 + 1)
    closes = datetime.combine(day, centre.closes, UTC)
    contacts = ContactMaker(centre, s, seed, day).day_of_contacts()
    handled = [c for c in contacts if c.agent is not None]
    noise_scopes = _noise_bad_call(rng, handled, s)
    events = [interaction(rng, c, wording) for c in contacts]

    surveys, furious = day_of_surveys(rng, handled, s.noise_bad_surveys)
    events += surveys
    noise_scopes += [f"agent:{c.agent.agent_id}" for c in furious if c.agent]
    events += day_of_complaints(rng, seed, contacts, centre.complaint_categories, s, day, closes)
    noise_scopes.append(f"complaint_category:{s.noise_category}")
    events += history_complaints(rng, day, history_days, centre.complaint_categories)
    events += day_of_evaluations(rng, handled, closes, per_agent=4 if qa == "sample" else 0)
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


def yesterday() -> date:
    return (datetime.now(UTC) - timedelta(days=1)).date()
