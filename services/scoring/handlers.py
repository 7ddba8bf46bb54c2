"""Scoring edge: canonical events → scored events (one parse, pure scoring, batched publish);
calibration sessions kept in Postgres and re-assessed as their evaluations arrive."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import asyncpg
from aiokafka import ConsumerRecord
from faststream.kafka import KafkaBroker
from pydantic import ValidationError

from contracts.envelope import CloudEvent, kafka_headers
from contracts.errors import describe, summary
from contracts.events import EvaluationScoredEvent, canonical_adapter
from contracts.topics import SCORES, partition_key
from runtime.consumer import with_retries
from runtime.kafka import Outgoing, dead_letter, header, publish_all
from services.scoring import store
from services.scoring.pipeline import Scorer, ScoringRefused

SERVICE = "scoring"
CONSUMER = "qualityloop-scoring"
log = logging.getLogger("qualityloop.scoring")


def to_outgoing(scored: CloudEvent[Any], traceparent: str | None = None) -> Outgoing:
    data = scored.data
    subject = (
        getattr(data, "interaction", None)
        or getattr(data, "survey", None)
        or getattr(data, "complaint", None)
    )
    agent = getattr(data, "agent_id", None) or getattr(subject, "agent_id", None)
    key = partition_key(
        agent,
        getattr(data, "interaction_id", None),
        getattr(subject, "interaction_id", None),
        scored.id,
    )
    extra = {"traceparent": traceparent} if traceparent else None
    return Outgoing(
        SCORES.name, key, scored.model_dump_json().encode(), kafka_headers(scored, extra)
    )


def score_record(
    record: ConsumerRecord[Any, Any], scorer: Scorer
) -> tuple[Outgoing | None, CloudEvent[Any] | None]:
    """(what to publish, the scored event) — or the record's dead letter."""
    try:
        event = canonical_adapter.validate_json(record.value or b"")
    except ValidationError as err:
        return dead_letter(record, SERVICE, summary(err), list(describe(err))), None
    try:
        scored = scorer.score(event)
    except ScoringRefused as err:  # e.g. an evaluation against an unknown scorecard
        reason = [{"field": err.field, "reason": str(err)}]
        return dead_letter(record, SERVICE, str(err), reason), None
    except Exception as err:  # pure code failed on this record: park it, don't block
        log.exception("scoring failed", extra={"event_id": event.id})
        return dead_letter(record, SERVICE, f"scoring failed: {type(err).__name__}: {err}"), None
    if scored is None:
        return None, None
    return to_outgoing(scored, header(record, "traceparent")), scored


async def handle_batch(
    records: Sequence[ConsumerRecord[Any, Any]],
    broker: KafkaBroker,
    scorer: Scorer,
    pool: asyncpg.Pool,
) -> int:
    """Score a batch and wait until every output is acknowledged; the caller then commits.
    Outputs carry ids derived from their inputs, so a redelivered batch dedupes downstream."""
    out: list[Outgoing] = []
    calibration: list[EvaluationScoredEvent] = []
    for record in records:
        outgoing, scored = score_record(record, scorer)
        if outgoing is not None:
            out.append(outgoing)
        if isinstance(scored, EvaluationScoredEvent) and scored.data.calibration_session_id:
            calibration.append(scored)
    if calibration:
        out += await assess_sessions(pool, scorer, calibration)
    await publish_all(broker, out)
    return len(out)


async def assess_sessions(
    pool: asyncpg.Pool, scorer: Scorer, events: list[EvaluationScoredEvent]
) -> list[Outgoing]:
    async def apply() -> dict[str, list[Any]]:
        async with pool.acquire() as conn, conn.transaction():
            return await store.calibration_sessions(conn, events)

    sessions = await with_retries(apply)
    latest = {e.data.calibration_session_id: e.time for e in sorted(events, key=lambda e: e.time)}
    return [
        to_outgoing(scorer.calibration(sid, evals, latest[sid])) for sid, evals in sessions.items()
    ]
