"""What follows contacts: surveys correlated with how the contact went, complaints linked to
poorly handled contacts, complaint lifecycles, human QA evaluations and a calibration session.
Pure (a seeded random.Random passed in)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from simulator.contacts import Contact
from simulator.events import customer, event, iso

GOOD_WORDS = (
    "Quick and helpful, thank you.",
    "Sorted first time, great service.",
    "Friendly agent who knew what to do.",
)
BAD_WORDS = (
    "Waited ages and still not fixed.",
    "Nobody explained what happens next.",
    "Had to call back again, very frustrating.",
)
COMPLAINT_TEXT = {
    "billing-error": "I was charged the wrong amount again. Contact me on {phone}.",
    "long-wait": "I waited far too long to get through to anyone.",
    "product-fault": "The device stopped working within a week of delivery.",
    "rude-agent": "The person I spoke to was dismissive and unhelpful.",
    "data-privacy": "I received a letter addressed to someone else at my address.",
}
# Criteria humans judge that AutoQA does not (scale criteria score 0..scale_max).
HUMAN_ONLY = {
    "understood-need": "yes",
    "accurate-information": 4,
    "tone": 4,
    "follow-up-offer": "yes",
}
EVALUATORS = ("qa-ana", "qa-ben", "qa-cleo")
LONG_WAIT_S = {"voice": 60, "chat": 180, "email": 8 * 3600}  # what a customer calls long
HEAT = ("heat-hear", "heat-empathise", "heat-apologise", "heat-take-action")


def survey(rng: random.Random, c: Contact, at: datetime, bad: bool = False) -> dict[str, Any]:
    """CSAT/NPS/CES from a latent satisfaction that long waits, unresolved contacts and missing
    courtesy lower."""
    shows = c.shows or {}
    latent = 4.4 - 1.1 * (c.wait_s > LONG_WAIT_S[c.queue.channel]) - 1.0 * (c.resolved is False)
    latent -= 0.5 * (not shows.get("empathy", True)) + 0.3 * (not shows.get("summary", True))
    latent += rng.gauss(0, 0.6)
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


def complaint_events(
    rng: random.Random,
    cid: str,
    category: str,
    at: datetime,
    closes: datetime,
    c: Contact | None = None,
) -> list[dict[str, Any]]:
    """Raised, then acknowledged within hours; some resolved the same day."""
    data: dict[str, Any] = {
        "complaint_id": cid,
        "category": category,
        "severity": "high" if rng.random() < 0.1 else "medium",
        "channel": c.queue.channel if c else "voice",
        "description": COMPLAINT_TEXT[category].format(phone=f"07700 900{rng.randint(0, 999):03d}"),
        "raised_at": iso(at),
        "customer": customer(rng, c.customer_id if c else f"CUST-{rng.randint(100000, 999999)}"),
    }
    if c is not None:
        data |= {"interaction_id": c.interaction_id, "queue": c.queue.queue}
        if c.agent:
            data |= {"agent_id": c.agent.agent_id, "team_id": c.agent.team_id}
    out = [event("complaint.raised", "/sim/crm", at, data, cid)]
    ack = at + timedelta(minutes=rng.randint(30, 180))
    if ack < closes:
        update = {"complaint_id": cid, "status": "acknowledged", "updated_at": iso(ack)}
        out.append(event("complaint.updated", "/sim/crm", ack, update, cid + "/ack"))
        done = ack + timedelta(minutes=rng.randint(60, 300))
        if done < closes and rng.random() < 0.4:
            resolved = {
                "complaint_id": cid,
                "outcome": rng.choice(["upheld", "not_upheld"]),
                "root_cause": category,
                "resolved_at": iso(done),
            }
            out.append(event("complaint.resolved", "/sim/crm", done, resolved, cid + "/done"))
    return out


def evaluation(
    rng: random.Random, c: Contact, evaluator: str, at: datetime, session: str | None = None
) -> dict[str, Any]:
    """A human evaluation that mostly agrees with what the agent did on the contact."""
    assert c.agent is not None and c.shows is not None
    answers: list[dict[str, Any]] = []
    for criterion, shown in c.shows.items():
        seen = shown and (criterion != "resolution-or-next-steps" or bool(c.resolved))
        if rng.random() < 0.03:  # evaluators are human
            seen = not seen
        answers.append({"criterion_id": criterion, "answer": "yes" if seen else "no"})
    for criterion, best in HUMAN_ONLY.items():
        value: Any = best
        if isinstance(best, int):
            value = best - (rng.random() < 0.3) - (session is not None and rng.random() < 0.4)
        answers.append({"criterion_id": criterion, "answer": value})
    answers.append({"criterion_id": "no-prohibited-language", "answer": "yes"})
    answers += [{"criterion_id": h, "answer": "na"} for h in HEAT]
    eid = f"ev-{c.interaction_id}-{evaluator}" + (f"-{session}" if session else "")
    data = {
        "evaluation_id": eid,
        "interaction_id": c.interaction_id,
        "agent_id": c.agent.agent_id,
        "team_id": c.agent.team_id,
        "evaluator_id": evaluator,
        "method": "call_listening" if c.queue.channel == "voice" else "written_review",
        "scorecard_id": "core-qa",
        "answers": answers,
        "calibration_session_id": session,
        "evaluated_at": iso(at),
    }
    return event("evaluation.submitted", "/sim/qa-tool", at, data, eid)


def history_complaints(
    rng: random.Random, day: date, days: int, categories: dict[str, float]
) -> list[dict[str, Any]]:
    """Complaints of the days before: the baseline a spike is judged against."""
    import numpy as np

    gen = np.random.default_rng(rng.randint(0, 2**31))
    out: list[dict[str, Any]] = []
    for back in range(days, 0, -1):
        d = day - timedelta(days=back)
        closes = datetime.combine(d, time(21, 0), UTC)
        for category, mean in sorted(categories.items()):
            for n in range(int(gen.poisson(mean))):
                at = datetime.combine(d, time(8, 0), UTC) + timedelta(
                    minutes=rng.randint(0, 12 * 60 - 1)
                )
                cid = f"hist-{d:%Y%m%d}-{category}-{n}"
                out += complaint_events(rng, cid, category, at, closes)
    return out
