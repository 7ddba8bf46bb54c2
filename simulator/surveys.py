"""Post-contact surveys: who answers, and CSAT/NPS/CES and verbatims that follow how the contact
went. Pure (a seeded random.Random passed in)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from simulator.contacts import Contact
from simulator.events import customer, event, iso

RESPONSE_RATE = 0.15  # typical post-contact survey take-up is 10-20%
LONG_WAIT_S = {"voice": 60, "chat": 180, "email": 8 * 3600}  # what a customer calls long
GOOD_WORDS = (
    "Quick and helpful, thank you.",
    "Sorted first time, great service.",
    "Friendly agent who knew what to do.",
    "Clear explanation of what happens next.",
)
BAD_WORDS = (
    "Waited ages and still not fixed.",
    "Nobody explained what happens next.",
    "Had to call back again, very frustrating.",
    "Felt like I was being rushed off the phone.",
)


def latent_satisfaction(c: Contact) -> float:
    """The expected 1-5 satisfaction before individual variation: long waits, unresolved
    contacts and missing courtesy lower it."""
    shows = c.shows or {}
    latent = 4.5 - 1.1 * (c.wait_s > LONG_WAIT_S[c.queue.channel]) - 1.0 * (c.resolved is False)
    return latent - 0.5 * (not shows.get("empathy", True)) - 0.3 * (not shows.get("summary", True))


def survey(rng: random.Random, c: Contact, at: datetime, bad: bool = False) -> dict[str, Any]:
    """One response; `bad` forces a one-off furious customer (noise that must raise nothing)."""
    latent = latent_satisfaction(c) + rng.gauss(0, 0.6)
    if bad:
        latent = 0.8
    csat = min(5, max(1, round(latent)))
    data: dict[str, Any] = {
        "response_id": f"sr-{c.interaction_id}",
        "interaction_id": c.interaction_id,
        "agent_id": c.agent.agent_id if c.agent else None,
        "team_id": c.agent.team_id if c.agent else None,
        "queue": c.queue.queue,
        "channel": c.queue.channel,
        "customer": customer(rng, c.customer_id),
        "csat": csat,
        "nps": min(10, max(0, round(2.2 * latent - 1 + rng.gauss(0, 1)))),
        "ces": min(7, max(1, round(7.5 - 1.3 * latent + rng.gauss(0, 0.7)))),
        "responded_at": iso(at),
    }
    if rng.random() < 0.35 or bad:
        words = BAD_WORDS if csat <= 3 else GOOD_WORDS
        data["verbatim"] = rng.choice(words) + (
            f" Email me at {c.customer_id.lower()}@example.com" if rng.random() < 0.2 else ""
        )
    return event("survey.responded", "/sim/surveys", at, data, data["response_id"])


def day_of_surveys(
    rng: random.Random, handled: list[Contact], bad_surveys: int
) -> tuple[list[dict[str, Any]], list[Contact]]:
    """Responses from a share of handled contacts, `bad_surveys` of them one-off furious ones
    after contacts that went well; returns (events, the contacts behind the furious ones)."""
    surveyed = [c for c in handled if rng.random() < RESPONSE_RATE]
    fine = [c for c in surveyed if not c.poor]
    bad = set(c.interaction_id for c in rng.sample(fine, min(bad_surveys, len(fine))))
    events = []
    for c in surveyed:
        at = c.ended_at + timedelta(minutes=rng.randint(5, 90))
        events.append(survey(rng, c, at, bad=c.interaction_id in bad))
    return events, [c for c in surveyed if c.interaction_id in bad]
