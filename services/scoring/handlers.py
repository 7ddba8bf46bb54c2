"""Scoring edge: canonical events → scored events (one parse, pure scoring, batched publish),
automated answers stamped with their criterion's trust gate; calibration sessions kept in
Postgres and re-assessed as their evaluations arrive; gates re-judged as pairs form."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import asyncpg
from aiokafka import ConsumerRecord
from faststream.kafka import KafkaBroker

from contracts.envelope import CloudEvent, kafka_headers
from contracts.events import (
    CanonicalEvent,
    EvaluationAssignedEvent,
    EvaluationScoredEvent,
    canonical_adapter,
)
from contracts.gates import GateRule, GateState
from contracts.scores import EvaluationAssigned
from contracts.topics import ASSIGNMENTS, SCORES, partition_key
from runtime.consumer import Refused, decode, failure, isolate
from runtime.kafka import Outgoing, dead_letter, header, publish_all
from services.scoring import store, trust_gate
from services.scoring.domain.gate import in_force, stamp
from services.scoring.domain.monitoring_updates import monitoring_updates
from services.scoring.names import SERVICE, SOURCE
from services.scoring.pipeline import Scorer, ScoringRefused

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
    record: ConsumerRecord[Any, Any],
    scorer: Scorer,
    gates: Mapping[str, GateState] | None = None,
    unmeasured: GateState = GateState.UNVERIFIED,
    event: CanonicalEvent | None = None,
) -> tuple[Outgoing | None, CloudEvent[Any] | None]:
    """(what to publish, the scored event) — or the record's dead letter. With `gates`, each
    automated answer is marked verified or not by its criterion's gate."""
    try:
        event = event or decode(record.value, canonical_adapter)
    except Refused as err:
        return dead_letter(record, SERVICE, err.reason, err.errors), None
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
    if gates is not None:
        scored = stamp(scored, gates, unmeasured)
    return to_outgoing(scored, header(record, "traceparent")), scored


def _decoded(record: ConsumerRecord[Any, Any]) -> CanonicalEvent | None:
    try:
        return decode(record.value, canonical_adapter)
    except Refused:
        return None  # score_record decodes it again and dead-letters it with the reason


async def handle_batch(
    records: Sequence[ConsumerRecord[Any, Any]],
    broker: KafkaBroker,
    scorer: Scorer,
    pool: asyncpg.Pool,
    gate: GateRule,
) -> int:
    """Score a batch and wait until every output is acknowledged; the caller then commits.
    Outputs carry ids derived from their inputs, so a redelivered batch dedupes downstream
    (keeping the first delivery's `verified` marks, should a gate change in between)."""
    dead: list[Outgoing] = []
    scored: list[tuple[ConsumerRecord[Any, Any], Outgoing, CloudEvent[Any]]] = []
    gates = in_force(await store.gate_states(pool), gate)  # before this batch's pairs
    decoded = [_decoded(record) for record in records]
    try:
        scorer.prepare([e for e in decoded if e is not None])
    except Exception:  # only a warm-up: each record is scored (or parked) on its own below
        log.exception("AutoQA batch encoding failed")
    for record, canonical in zip(records, decoded, strict=True):
        outgoing, event = score_record(record, scorer, gates, gate.unmeasured, canonical)
        if event is None:
            dead += [outgoing] if outgoing is not None else []
        else:
            assert outgoing is not None
            scored.append((record, outgoing, event))

    async def apply(part: Sequence[tuple[Any, Outgoing, CloudEvent[Any]]]) -> list[Outgoing]:
        events = [e for _, _, e in part]
        calibration = [
            e
            for e in events
            if isinstance(e, EvaluationScoredEvent) and e.data.calibration_session_id
        ]
        async with pool.acquire() as conn, conn.transaction():
            out = await assess_sessions(conn, scorer, calibration) if calibration else []
            out += await monitor(conn, scorer, events, gate)
        return [o for _, o, _ in part] + out

    async def park(item: tuple[Any, Outgoing, CloudEvent[Any]], err: Exception) -> None:
        dead.append(dead_letter(item[0], SERVICE, *failure(err)))  # published with the rest

    out = [o for part in await isolate(scored, apply, park) for o in part]
    await publish_all(broker, dead + out, SERVICE)
    return len(out)


async def monitor(
    conn: asyncpg.Connection, scorer: Scorer, events: list[CloudEvent[Any]], gate: GateRule
) -> list[Outgoing]:
    """Monitoring plans: pick interactions for human evaluation, mark evaluated ones done; and
    keep automated and human answers side by side to measure the automated checks, re-judging
    the trust gate of each criterion whose pairs changed."""
    plans = {p.id: p for p in scorer.standard.monitoring.plans}
    updates = monitoring_updates(plans.values(), events, scorer.automated_criteria)
    if not updates:
        return []
    await store.complete(conn, updates.completions)
    paired = await store.record_answers(conn, updates.auto_answers, updates.human_answers)
    rows = await store.assign(conn, plans, updates.candidates) if updates.candidates else []
    changes = await trust_gate.rejudge(conn, paired, gate, scorer.auto_qa_scorecard)
    return [assignment_record(row) for row in rows] + changes


def assignment_record(row: Any) -> Outgoing:
    data = EvaluationAssigned(
        assignment_id=row["assignment_id"],
        plan_id=row["plan_id"],
        interaction_id=row["interaction_id"],
        agent_id=row["agent_id"],
        team_id=row["team_id"],
        channel=row["channel"],
        reason=row["reason"],
        week=row["week"],
        assigned_at=row["interaction_at"],
        due_by=row["due_by"],
    )
    event = EvaluationAssignedEvent(
        id=row["assignment_id"],
        source=SOURCE,
        time=data.assigned_at,
        subject=row["interaction_id"],
        data=data,
    )
    return Outgoing(
        ASSIGNMENTS.name,
        row["agent_id"].encode(),
        event.model_dump_json().encode(),
        kafka_headers(event),
    )


async def assess_sessions(
    conn: asyncpg.Connection, scorer: Scorer, events: list[EvaluationScoredEvent]
) -> list[Outgoing]:
    sessions = await store.calibration_sessions(conn, events)
    latest = {e.data.calibration_session_id: e.time for e in sorted(events, key=lambda e: e.time)}
    return [
        to_outgoing(scorer.calibration(sid, evals, latest[sid])) for sid, evals in sessions.items()
    ]
