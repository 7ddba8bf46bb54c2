"""Every Kafka topic: name, partitions, retention, and what its records are keyed by.

Keys are chosen so the order that matters holds within a partition:
- per agent: interactions, evaluations, surveys and scores are keyed by agent id (falling back to
  the interaction id, then the event id, for events without an agent) — window rules need
  an agent's events in order;
- per complaint: complaint lifecycle events are keyed by complaint id (raised < updated < resolved);
- per action: action lifecycle events are keyed by action id.
"""

from __future__ import annotations

from dataclasses import dataclass

DAY_MS = 24 * 3600 * 1000


@dataclass(frozen=True, slots=True)
class Topic:
    name: str
    partitions: int
    retention_ms: int
    key: str  # documentation: what the record key is

    def config(self) -> dict[str, str]:
        return {"retention.ms": str(self.retention_ms), "min.insync.replicas": "1"}


# What source systems publish straight to Kafka (validated by ingest).
RAW_INTERACTIONS = Topic("raw.interactions", 3, 7 * DAY_MS, "any (source's choice)")
RAW_EVALUATIONS = Topic("raw.evaluations", 3, 7 * DAY_MS, "any (source's choice)")
RAW_SURVEYS = Topic("raw.surveys", 3, 7 * DAY_MS, "any (source's choice)")
RAW_COMPLAINTS = Topic("raw.complaints", 3, 7 * DAY_MS, "any (source's choice)")
RAW_PATTERN = r"raw\..*"

# Canonical events (pseudonymised, redacted) published by ingest.
INTERACTIONS = Topic("ql.interactions", 6, 30 * DAY_MS, "agent id | interaction id")
EVALUATIONS = Topic("ql.evaluations", 6, 30 * DAY_MS, "agent id")
SURVEYS = Topic("ql.surveys", 6, 30 * DAY_MS, "agent id | interaction id | event id")
COMPLAINTS = Topic("ql.complaints", 6, 30 * DAY_MS, "complaint id")

# Derived events.
SCORES = Topic(
    "ql.scores", 6, 30 * DAY_MS, "agent id | interaction id | event id (gate changes: criterion id)"
)
ACTIONS = Topic("ql.actions", 3, 365 * DAY_MS, "action id")
# Evaluation assignments from monitoring plans, for evaluators' tools.
ASSIGNMENTS = Topic("ql.assignments", 3, 90 * DAY_MS, "agent id")
ALERTS = Topic("ql.alerts", 3, 30 * DAY_MS, "alert group key")

# Everything refused, with the reason in headers; kept long enough to investigate and replay.
DEADLETTER = Topic("ql.deadletter", 3, 30 * DAY_MS, "the original key")

RAW = (RAW_INTERACTIONS, RAW_EVALUATIONS, RAW_SURVEYS, RAW_COMPLAINTS)
CANONICAL = (INTERACTIONS, EVALUATIONS, SURVEYS, COMPLAINTS)
ALL = (*RAW, *CANONICAL, SCORES, ASSIGNMENTS, ACTIONS, ALERTS, DEADLETTER)

# Which canonical topic each event type goes to.
TOPIC_FOR_TYPE: dict[str, Topic] = {
    "io.qualityloop.interaction.completed": INTERACTIONS,
    "io.qualityloop.evaluation.submitted": EVALUATIONS,
    "io.qualityloop.survey.responded": SURVEYS,
    "io.qualityloop.complaint.raised": COMPLAINTS,
    "io.qualityloop.complaint.updated": COMPLAINTS,
    "io.qualityloop.complaint.resolved": COMPLAINTS,
}


def partition_key(*candidates: str | None) -> bytes:
    """The first non-empty candidate, as bytes (callers list them in the documented order)."""
    for candidate in candidates:
        if candidate:
            return candidate.encode()
    raise ValueError("no partition key candidate")
