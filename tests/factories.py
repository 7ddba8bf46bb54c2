"""Event builders shared by tests (plain dicts, as a source system would send them)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def iso(dt: datetime) -> str:
    return dt.isoformat().replace("+00:00", "Z")


def interaction(
    *,
    agent: str = "agent-1",
    team: str = "team-a",
    queue: str = "billing",
    channel: str = "voice",
    offered: datetime = T0,
    wait: float = 12.0,
    talk: float = 240.0,
    hold: float = 30.0,
    acw: float = 45.0,
    abandoned: bool = False,
    transcript: str | None = None,
    customer: dict[str, str] | None = None,
    event_id: str | None = None,
    interaction_id: str | None = None,
    fcr: bool | None = True,
) -> dict[str, Any]:
    iid = interaction_id or f"int-{uuid.uuid4().hex[:12]}"
    answered = None if abandoned else offered + timedelta(seconds=wait)
    ended = offered + timedelta(seconds=wait + (0 if abandoned else talk + hold + acw))
    data: dict[str, Any] = {
        "interaction_id": iid,
        "channel": channel,
        "queue": queue,
        "agent_id": None if abandoned else agent,
        "team_id": team,
        "offered_at": iso(offered),
        "answered_at": iso(answered) if answered else None,
        "ended_at": iso(ended),
        "wait_seconds": wait,
        "talk_seconds": 0 if abandoned else talk,
        "hold_seconds": 0 if abandoned else hold,
        "after_contact_work_seconds": 0 if abandoned else acw,
        "transferred": False,
        "abandoned": abandoned,
        "resolved_first_contact": None if abandoned else fcr,
    }
    if transcript is not None:
        data["transcript"] = transcript
    if customer is not None:
        data["customer"] = customer
    return {
        "specversion": "1.0",
        "id": event_id or str(uuid.uuid4()),
        "source": "/test/acd",
        "type": "io.qualityloop.interaction.completed",
        "time": iso(ended),
        "data": data,
    }


def evaluation(
    *,
    agent: str = "agent-1",
    team: str = "team-a",
    answers: dict[str, Any] | None = None,
    scorecard: str = "core-qa",
    at: datetime = T0,
    calibration: str | None = None,
    evaluator: str = "qa-1",
    interaction_id: str = "int-x",
) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": "/test/qa-tool",
        "type": "io.qualityloop.evaluation.submitted",
        "time": iso(at),
        "data": {
            "evaluation_id": f"ev-{uuid.uuid4().hex[:10]}",
            "interaction_id": interaction_id,
            "agent_id": agent,
            "team_id": team,
            "evaluator_id": evaluator,
            "method": "call_listening",
            "scorecard_id": scorecard,
            "answers": [
                {"criterion_id": k, "answer": v}
                for k, v in (answers or {"greeting": "yes"}).items()
            ],
            "calibration_session_id": calibration,
            "evaluated_at": iso(at),
        },
    }


def survey(
    *,
    csat: int | None = 5,
    nps: int | None = 9,
    verbatim: str | None = None,
    at: datetime = T0,
    customer: dict[str, str] | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "response_id": f"sr-{uuid.uuid4().hex[:10]}",
        "agent_id": "agent-1",
        "csat": csat,
        "nps": nps,
        "responded_at": iso(at),
    }
    if verbatim:
        data["verbatim"] = verbatim
    if customer:
        data["customer"] = customer
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": "/test/survey",
        "type": "io.qualityloop.survey.responded",
        "time": iso(at),
        "data": data,
    }


def complaint(
    *, description: str = "Kept on hold", at: datetime = T0, customer: dict[str, str] | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "complaint_id": f"c-{uuid.uuid4().hex[:10]}",
        "category": "wait-time",
        "severity": "medium",
        "channel": "voice",
        "description": description,
        "raised_at": iso(at),
    }
    if customer:
        data["customer"] = customer
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": "/test/crm",
        "type": "io.qualityloop.complaint.raised",
        "time": iso(at),
        "data": data,
    }
