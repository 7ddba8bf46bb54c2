"""Complaints: the usual few per category a day, each linked to a contact that explains it (long
waits behind long-wait complaints, discourtesy behind rude-agent ones...), their lifecycle
(raised, acknowledged, investigated, resolved), the injected spike, one-off noise and the
preceding days' history that spike detection needs as a baseline. Pure (seeded generators)."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np

from simulator.contacts import Contact
from simulator.events import customer, event, iso
from simulator.scenarios import Scenarios
from simulator.surveys import LONG_WAIT_S

# Descriptions as customers write them, personal data included (ingest redacts it).
TEXT = {
    "billing-error": (
        "I was charged the wrong amount again. Contact me on {phone}.",
        "You took two payments from card {card} this month and nobody has refunded one.",
        "My bill doubled without any explanation. Please email {email}.",
    ),
    "long-wait": (
        "I waited far too long to get through to anyone.",
        "I was on hold for ages and gave up. Call me back on {phone}.",
    ),
    "product-fault": (
        "The device stopped working within a week of delivery.",
        "The router you sent is faulty and the engineer never came. Reach me at {email}.",
    ),
    "rude-agent": (
        "The person I spoke to was dismissive and unhelpful.",
        "The agent did not listen and did not even say who they were.",
    ),
    "data-privacy": ("I received a letter addressed to someone else at my address.",),
}
ORDINARY_MAX = 4  # complaints a day; actions needs at least 5 before it calls a spike
ROOT_CAUSE = {
    "billing-error": "duplicate-direct-debit",
    "long-wait": "understaffing",
    "product-fault": "hardware-fault",
    "rude-agent": "agent-behaviour",
    "data-privacy": "misaddressed-mail",
}


def _discourteous(c: Contact) -> bool:
    shows = c.shows or {}
    return not all(shows.get(b, True) for b in ("greeting", "empathy", "ownership"))


# Which contacts plausibly lead to a complaint of each category.
FITS: dict[str, Callable[[Contact], bool]] = {
    "billing-error": lambda c: c.queue.queue == "billing" and c.poor,
    "long-wait": lambda c: c.abandoned or c.wait_s > LONG_WAIT_S[c.queue.channel],
    "product-fault": lambda c: c.queue.queue in ("support", "chat") and c.resolved is False,
    "rude-agent": lambda c: c.agent is not None and _discourteous(c),
}


def linked_contact(rng: random.Random, category: str, contacts: list[Contact]) -> Contact:
    """A contact that explains a complaint of `category`, else any poorly handled one."""
    fits = FITS.get(category, lambda c: c.poor)
    poor = [c for c in contacts if c.poor] or contacts
    return rng.choice([c for c in contacts if fits(c)] or poor)


def complaint_events(
    rng: random.Random,
    cid: str,
    category: str,
    at: datetime,
    closes: datetime,
    c: Contact | None = None,
) -> list[dict[str, Any]]:
    """Raised, acknowledged within hours, sometimes investigated and resolved the same day."""
    n = rng.randint(0, 999)
    text = rng.choice(TEXT[category]).format(
        phone=f"07700 900{n:03d}", email=f"cust{n}@example.com", card="4111 1111 1111 1111"
    )
    data: dict[str, Any] = {
        "complaint_id": cid,
        "category": category,
        "severity": "high" if rng.random() < 0.1 else "medium",
        "channel": c.queue.channel if c else "voice",
        "description": text,
        "raised_at": iso(at),
        "customer": customer(rng, c.customer_id if c else f"CUST-{rng.randint(100000, 999999)}"),
    }
    if c is not None:
        data |= {"interaction_id": c.interaction_id, "queue": c.queue.queue}
        if c.agent:
            data |= {"agent_id": c.agent.agent_id, "team_id": c.agent.team_id}
    out = [event("complaint.raised", "/sim/crm", at, data, cid)]
    ack = at + timedelta(minutes=rng.randint(30, 180))
    if ack >= closes:
        return out
    update = {"complaint_id": cid, "status": "acknowledged", "updated_at": iso(ack)}
    out.append(event("complaint.updated", "/sim/crm", ack, update, cid + "/ack"))
    done = ack + timedelta(minutes=rng.randint(60, 300))
    looked = ack + (done - ack) / 2
    if rng.random() < 0.5 and looked < closes:
        update = {
            "complaint_id": cid,
            "status": "investigating",
            "root_cause": ROOT_CAUSE[category],
            "note": "Reviewing the contact recording and the account history.",
            "updated_at": iso(looked),
        }
        out.append(event("complaint.updated", "/sim/crm", looked, update, cid + "/look"))
    if done < closes and rng.random() < 0.4:
        resolved = {
            "complaint_id": cid,
            "outcome": rng.choice(["upheld", "partially_upheld", "not_upheld"]),
            "root_cause": ROOT_CAUSE[category],
            "resolution": "Apologised, explained the cause and applied a goodwill credit.",
            "resolved_at": iso(done),
        }
        out.append(event("complaint.resolved", "/sim/crm", done, resolved, cid + "/done"))
    return out


def day_of_complaints(
    rng: random.Random,
    seed: int,
    contacts: list[Contact],
    categories: dict[str, float],
    s: Scenarios,
    day: date,
    closes: datetime,
) -> list[dict[str, Any]]:
    """The usual daily complaints per category, the injected spike and the one-off complaint in
    a quiet category (noise)."""
    gen = np.random.default_rng(seed + 17)
    later = closes + timedelta(hours=2)
    out: list[dict[str, Any]] = []
    for category, mean in sorted(categories.items()):
        # An ordinary day for the category: capped under the spike check's minimum count, so
        # only the injected spike can look like one.
        for n in range(min(int(gen.poisson(mean)), ORDINARY_MAX)):
            c = linked_contact(rng, category, contacts)
            at = c.ended_at + timedelta(minutes=rng.randint(20, 120))
            cid = f"cmp-{day:%Y%m%d}-{category}-{n}"
            out += complaint_events(rng, cid, category, at, later, c)
    # The spike: billing customers of the afternoon, after the (simulated) process change.
    billing = [
        c
        for c in contacts
        if c.queue.queue == "billing" and s.spike_from <= c.offered_at.time() < s.spike_until
    ]
    for n in range(s.spike_extra):
        c = rng.choice(billing)
        at = c.ended_at + timedelta(minutes=rng.randint(5, 60))
        out += complaint_events(rng, f"cmp-{day:%Y%m%d}-spike-{n}", s.spike_category, at, later, c)
    c = rng.choice(contacts)
    at = c.ended_at + timedelta(minutes=45)
    out += complaint_events(rng, f"cmp-{day:%Y%m%d}-noise", s.noise_category, at, later, c)
    return out


def history_complaints(
    rng: random.Random, day: date, days: int, categories: dict[str, float]
) -> list[dict[str, Any]]:
    """Complaints of the `days` before `day` (no contacts behind them in this simulation): the
    baseline a spike is judged against."""
    gen = np.random.default_rng(rng.randint(0, 2**31))
    out: list[dict[str, Any]] = []
    for back in range(days, 0, -1):
        d = day - timedelta(days=back)
        closes = datetime.combine(d, time(21, 0), UTC)
        for category, mean in sorted(categories.items()):
            for n in range(int(gen.poisson(mean))):
                minute = rng.randint(0, 12 * 60 - 1)
                at = datetime.combine(d, time(8, 0), UTC) + timedelta(minutes=minute)
                cid = f"hist-{d:%Y%m%d}-{category}-{n}"
                out += complaint_events(rng, cid, category, at, closes)
    return out
