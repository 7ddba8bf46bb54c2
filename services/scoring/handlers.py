"""Scoring edge: canonical events → scored events (one parse, pure scoring, batched publish)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from aiokafka import ConsumerRecord
from faststream.kafka import KafkaBroker
from pydantic import ValidationError

from contracts.envelope import kafka_headers
from contracts.errors import describe, summary
from contracts.events import canonical_adapter
from contracts.topics import SCORES, partition_key
from runtime.kafka import Outgoing, dead_letter, header, publish_all
from services.scoring.pipeline import Scorer, ScoringRefused

SERVICE = "scoring"
log = logging.getLogger("qualityloop.scoring")
CONSUMER = "qualityloop-scoring"


def score_record(record: ConsumerRecord[Any, Any], scorer: Scorer) -> Outgoing | None:
    try:
        event = canonical_adapter.validate_json(record.value or b"")
    except ValidationError as err:
        return dead_letter(record, SERVICE, summary(err), list(describe(err)))
    try:
        scored = scorer.score(event)
    except ScoringRefused as err:  # e.g. an evaluation against an unknown scorecard
        return dead_letter(record, SERVICE, str(err), [{"field": err.field, "reason": str(err)}])
    except Exception as err:  # pure code failed on this record: park it, don't block the partition
        log.exception("scoring failed", extra={"event_id": event.id})
        return dead_letter(record, SERVICE, f"scoring failed: {type(err).__name__}: {err}")
    if scored is None:
        return None
    traceparent = header(record, "traceparent")
    extra = {"traceparent": traceparent} if traceparent else None
    data = scored.data
    agent = getattr(data, "agent_id", None) or getattr(
        getattr(data, "interaction", None) or getattr(data, "survey", None), "agent_id", None
    )
    key = partition_key(agent, getattr(data, "interaction_id", None), scored.id)
    return Outgoing(
        SCORES.name, key, scored.model_dump_json().encode(), kafka_headers(scored, extra)
    )


async def handle_batch(
    records: Sequence[ConsumerRecord[Any, Any]], broker: KafkaBroker, scorer: Scorer
) -> int:
    """Score a batch and wait until every output is acknowledged; the caller then commits.
    Outputs carry ids derived from their source events, so a redelivered batch dedupes."""
    out = [o for r in records if (o := score_record(r, scorer)) is not None]
    await publish_all(broker, out)
    return len(out)
