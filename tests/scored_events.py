"""Scored events as scoring publishes them (interactions, surveys, complaints with their
lifecycle, automated QA), and consumer records carrying them, for actions and reporting tests."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from aiokafka import ConsumerRecord

from contracts.complaints import ComplaintRaised, ComplaintResolved, ComplaintUpdated
from contracts.envelope import derived_event_id
from contracts.events import (
    ComplaintResolvedEvent,
    ComplaintScoredEvent,
    ComplaintUpdatedEvent,
    InteractionScoredEvent,
    SurveyScoredEvent,
)
from contracts.inbound import inbound_adapter
from contracts.interactions import InteractionCompleted
from contracts.scores import (
    ComplaintScored,
    CriterionResult,
    InteractionScored,
    NpsCategory,
    OperationalResult,
    QaResult,
    SectionResult,
    SurveyScored,
)
from contracts.surveys import SurveyResponded
from tests import factories as f

THRESHOLD = 20.0


class NoBroker:
    """Reporting only publishes dead letters; these batches have none."""

    async def publish(self, *args: Any, **kwargs: Any) -> None:
        raise AssertionError("nothing should be dead-lettered")


def scored_event(raw: dict[str, Any], event_id: str | None = None) -> InteractionScoredEvent:
    i = InteractionCompleted.model_validate(
        inbound_adapter.validate_python(raw).data.model_dump() | {"customer": None}
    )
    op = OperationalResult(
        sl_threshold_seconds=THRESHOLD,
        sl_variant="offered",
        counts_as_offered=True,
        answered_within_threshold=not i.abandoned and i.wait_seconds <= THRESHOLD,
        handle_seconds=0 if i.abandoned else i.handle_seconds,
        aht_band=None if i.abandoned else "normal",
        transferred=i.transferred,
        resolved_first_contact=i.resolved_first_contact,
    )
    data = InteractionScored(
        source_event_id=raw["id"], standard_version="test", interaction=i, operational=op
    )
    return InteractionScoredEvent(
        id=event_id or derived_event_id("scored", raw["id"]),
        source="/test",
        time=i.ended_at,
        data=data,
    )


def records(events: list[InteractionScoredEvent], topic: str, first: int = 0) -> list[Any]:
    return [
        ConsumerRecord(
            topic,
            0,
            first + n,
            0,
            0,
            (e.data.interaction.agent_id or "-").encode(),
            e.model_dump_json().encode(),
            None,
            0,
            0,
            [],
        )
        for n, e in enumerate(events)
    ]


def survey(queue: str, csat: int, nps: int, ces: int) -> SurveyScoredEvent:
    raw = f.survey(csat=csat, nps=nps)
    raw["data"] |= {"queue": queue, "ces": ces, "team_id": "t1"}
    s = SurveyResponded.model_validate(
        inbound_adapter.validate_python(raw).data.model_dump() | {"customer": None}
    )
    category = (
        NpsCategory.PROMOTER
        if nps >= 9
        else NpsCategory.PASSIVE
        if nps >= 7
        else NpsCategory.DETRACTOR
    )
    return SurveyScoredEvent(
        id=str(uuid.uuid4()),
        source="/t",
        time=s.responded_at,
        data=SurveyScored(
            source_event_id=raw["id"],
            standard_version="s",
            survey=s,
            csat_top2=csat >= 4,
            nps_category=category,
        ),
    )


def complaint(queue: str, hours_to_resolve: float | None, n: int) -> list[Any]:
    raw = f.complaint(at=f.T0 + timedelta(minutes=n))
    raw["data"] |= {"queue": queue}
    c = ComplaintRaised.model_validate(
        inbound_adapter.validate_python(raw).data.model_dump() | {"customer": None}
    )
    events: list[Any] = [
        ComplaintScoredEvent(
            id=str(uuid.uuid4()),
            source="/t",
            time=c.raised_at,
            data=ComplaintScored(
                source_event_id=raw["id"],
                standard_version="s",
                complaint=c,
                severity=c.severity,
                acknowledge_by=c.raised_at + timedelta(hours=24),
                resolve_by=c.raised_at + timedelta(hours=48),
            ),
        )
    ]
    events.append(
        ComplaintUpdatedEvent(
            id=str(uuid.uuid4()),
            source="/t",
            time=c.raised_at,
            data=ComplaintUpdated(
                complaint_id=c.complaint_id,
                status="acknowledged",
                updated_at=c.raised_at + timedelta(hours=1),
            ),
        )
    )
    if hours_to_resolve is not None:
        events.append(
            ComplaintResolvedEvent(
                id=str(uuid.uuid4()),
                source="/t",
                time=c.raised_at,
                data=ComplaintResolved(
                    complaint_id=c.complaint_id,
                    outcome="upheld",
                    root_cause="billing system",
                    resolved_at=c.raised_at + timedelta(hours=hours_to_resolve),
                ),
            )
        )
    return events


def with_auto_qa(event: InteractionScoredEvent, summary_ok: bool) -> InteractionScoredEvent:
    criteria = (
        CriterionResult(
            criterion_id="greeting",
            section_id="opening",
            answer="yes",
            points=1,
            max_points=1,
            automated=True,
        ),
        CriterionResult(
            criterion_id="summary",
            section_id="closing",
            answer="yes" if summary_ok else "no",
            points=1 if summary_ok else 0,
            max_points=1,
            automated=True,
        ),
    )
    qa = QaResult(
        scorecard_id="core-qa",
        scorecard_version="v",
        score=90 if summary_ok else 70,
        critical_failed=False,
        automated=True,
        sections=(SectionResult(section_id="opening", weight=1, score=100),),
        criteria=criteria,
    )
    return event.model_copy(update={"data": event.data.model_copy(update={"auto_qa": qa})})
