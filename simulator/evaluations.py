"""Human QA evaluations on core-qa.yaml: a sample of each agent's contacts and one calibration
session in which every evaluator scores the same call. Pure (a seeded random.Random)."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import Any

from simulator.contacts import Contact
from simulator.events import event, iso

# Criteria humans judge that AutoQA does not (scale criteria score 0..scale_max).
HUMAN_ONLY: dict[str, str | int] = {
    "understood-need": "yes",
    "accurate-information": 4,
    "tone": 4,
    "follow-up-offer": "yes",
}
# A critical "no" zeroes the evaluation (identity) or its section: evaluators double-check
# those, so their occasional slips never land on them.
CRITICAL = frozenset({"identity-verification", "no-prohibited-language"})
HEAT = ("heat-hear", "heat-empathise", "heat-apologise", "heat-take-action")  # N/A: no complaint
EVALUATORS = ("qa-ana", "qa-ben", "qa-cleo")
SLIP = 0.03  # an evaluator misjudging a (non-critical) behaviour


def evaluation(
    rng: random.Random, c: Contact, evaluator: str, at: datetime, session: str | None = None
) -> dict[str, Any]:
    """A human evaluation that mostly agrees with what the agent did on the contact; in a
    calibration session, evaluators differ a little more on the judgement calls (scales)."""
    assert c.agent is not None and c.shows is not None
    answers: list[dict[str, Any]] = []
    for criterion, shown in c.shows.items():
        seen = shown and (criterion != "resolution-or-next-steps" or bool(c.resolved))
        if rng.random() < SLIP and criterion not in CRITICAL:
            seen = not seen
        answers.append({"criterion_id": criterion, "answer": "yes" if seen else "no"})
    for criterion, best in HUMAN_ONLY.items():
        value: str | int = best
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


def day_of_evaluations(
    rng: random.Random, handled: list[Contact], closes: datetime, per_agent: int
) -> list[dict[str, Any]]:
    """`per_agent` evaluations of each agent's contacts (a monitoring plan's quota) and one
    calibration session where all evaluators score the same morning call."""
    out: list[dict[str, Any]] = []
    by_agent: dict[str, list[Contact]] = {}
    for c in handled:
        assert c.agent is not None
        by_agent.setdefault(c.agent.agent_id, []).append(c)
    for agent_id in sorted(by_agent):
        for c in rng.sample(by_agent[agent_id], min(per_agent, len(by_agent[agent_id]))):
            # Within the working day, but never before the contact ended.
            at = min(c.ended_at + timedelta(minutes=rng.randint(30, 150)), closes)
            at = max(at, c.ended_at + timedelta(minutes=10))
            out.append(evaluation(rng, c, rng.choice(EVALUATORS), at))
    morning = [c for c in handled if c.queue.channel == "voice" and c.offered_at.time() < time(10)]
    if morning:
        c = rng.choice(morning)
        session = f"cal-{c.offered_at:%Y%m%d}"
        for n, evaluator in enumerate(EVALUATORS):
            at = closes - timedelta(minutes=30 - 5 * n)
            out.append(evaluation(rng, c, evaluator, at, session))
    return out
