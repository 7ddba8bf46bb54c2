"""What follows contacts: surveys, complaints with their lifecycle and history, human QA
evaluations with a calibration session — each consistent with the contacts behind it."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import date
from functools import cache
from typing import Any

from contracts.evaluations import CriterionAnswer
from services.ingest.domain.redact import redact
from services.scoring.domain.evaluation import score_evaluation
from services.scoring.settings import DEFAULT_STANDARDS
from services.scoring.standards_files import load_standards
from simulator.contacts import Contact
from simulator.day import Day, simulate
from simulator.evaluations import CRITICAL, EVALUATORS
from simulator.surveys import LONG_WAIT_S

DAY = date(2026, 11, 20)
CARD = load_standards(DEFAULT_STANDARDS).scorecard("core-qa")


@cache
def day() -> Day:
    return simulate(11, DAY)


def of(kind: str) -> list[dict[str, Any]]:
    return [e["data"] for e in day().events if e["type"] == f"io.qualityloop.{kind}"]


def contacts() -> dict[str, Contact]:
    return {c.interaction_id: c for c in day().contacts}


def test_survey_scores_move_together() -> None:
    surveys = of("survey.responded")
    low = [s for s in surveys if s["csat"] <= 2]
    high = [s for s in surveys if s["csat"] == 5]
    assert statistics.mean(s["nps"] for s in high) > statistics.mean(s["nps"] for s in low) + 3
    assert statistics.mean(s["ces"] for s in high) < statistics.mean(s["ces"] for s in low) - 1
    assert 0.2 < sum(bool(s.get("verbatim")) for s in surveys) / len(surveys) < 0.5
    by_id = contacts()
    waited = [
        s["csat"] for s in surveys if by_id[s["interaction_id"]].wait_s > LONG_WAIT_S[s["channel"]]
    ]
    assert len(waited) >= 2  # mostly after the understaffed interval (many gave up)
    assert statistics.mean(waited) < statistics.mean(s["csat"] for s in surveys) - 0.5


def test_complaints_follow_the_contacts_that_explain_them() -> None:
    today = [c for c in of("complaint.raised") if c["raised_at"].startswith(DAY.isoformat())]
    by_id = contacts()
    for c in today:
        contact = by_id[c["interaction_id"]]  # every complaint of the day names its contact
        assert c["raised_at"] > contact.ended_at.isoformat()[:19]
        if c["category"] == "long-wait":
            assert contact.abandoned or contact.wait_s > LONG_WAIT_S[contact.queue.channel]
        if c["category"] == "rude-agent":
            shows = contact.shows or {}
            assert not all(shows[b] for b in ("greeting", "empathy", "ownership"))
    assert any(redact(c["description"]) != c["description"] for c in today)  # PII to redact


def test_complaint_lifecycles_are_in_order() -> None:
    times: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for e in day().events:
        if ".complaint." in e["type"]:
            times[e["data"]["complaint_id"]].append((e["time"], e["type"].rsplit(".", 1)[1]))
    order = {"raised": 0, "updated": 1, "resolved": 2}
    for steps in times.values():
        assert steps[0][1] == "raised"
        assert [order[s] for _, s in steps] == sorted(order[s] for _, s in steps)
    statuses = Counter(u["status"] for u in of("complaint.updated"))
    assert statuses["acknowledged"] > statuses["investigating"] > 0
    assert of("complaint.resolved")


def test_evaluations_sample_every_agent_and_score_on_the_scorecard() -> None:
    evaluations = of("evaluation.submitted")
    regular = [e for e in evaluations if e["calibration_session_id"] is None]
    per_agent = Counter(e["agent_id"] for e in regular)
    assert len(per_agent) == 18 and set(per_agent.values()) == {4}
    by_id = contacts()
    for e in evaluations:
        answers = [CriterionAnswer.model_validate(a) for a in e["answers"]]
        score_evaluation(answers, CARD)  # raises on a criterion the scorecard does not have
        assert all(a.answer != "no" for a in answers if a.criterion_id in CRITICAL)
        assert e["evaluated_at"] > by_id[e["interaction_id"]].ended_at.isoformat()[:19]


def test_a_calibration_session_has_every_evaluator_on_one_contact() -> None:
    session = [e for e in of("evaluation.submitted") if e["calibration_session_id"]]
    assert sorted(e["evaluator_id"] for e in session) == sorted(EVALUATORS)
    assert len({e["interaction_id"] for e in session}) == 1
    assert len({e["calibration_session_id"] for e in session}) == 1
