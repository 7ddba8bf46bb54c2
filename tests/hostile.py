"""Hostile Kafka records for every consumed topic, interleaved with good events, and what the
platform must do with each: good events applied exactly once, bad records dead-lettered by
every service that consumes their topic (hypothesis strategies + builders + expectations)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from hypothesis import strategies as st

from contracts import topics
from contracts.inbound import inbound_adapter
from services.ingest.domain.canonicalise import canonicalise, route
from services.ingest.domain.pseudonymise import Pseudonymiser
from services.scoring.autoqa_model import shared_encoder
from services.scoring.pipeline import Scorer
from services.scoring.settings import ScoringSettings
from services.scoring.standards_files import load_standards
from tests import factories as f
from tests.reporting_events import action_events, alert_event

# Who consumes each topic (and so must dead-letter a bad record found there).
CONSUMERS: dict[str, tuple[str, ...]] = {
    **{t.name: ("ingest",) for t in topics.RAW},
    topics.INTERACTIONS.name: ("scoring",),
    topics.EVALUATIONS.name: ("scoring",),
    topics.SURVEYS.name: ("scoring",),
    topics.COMPLAINTS.name: ("scoring", "reporting"),
    topics.SCORES.name: ("actions", "reporting"),
    topics.ACTIONS.name: ("reporting",),
    topics.ALERTS.name: ("reporting",),
}
TOPICS = sorted(CONSUMERS)
BAD_KINDS = (
    "random-bytes",
    "invalid-utf8",
    "json-lie",
    "text-lie",
    "deep",
    "huge",
    "nul",
    "surrogate",
    "version",
    "wrong-type",
)
GOOD_KINDS = ("good", "good-odd-headers", "duplicate")

_PSEUDO = Pseudonymiser("hostile", b"hostile-suite-secret")
_SCORER: Scorer | None = None


def scorer() -> Scorer:
    global _SCORER
    if _SCORER is None:
        s = ScoringSettings()
        _SCORER = Scorer(
            load_standards(s.standards_path),
            s.auto_qa_scorecard,
            s.calibration_tolerance,
            shared_encoder(),
        )
    return _SCORER


@dataclass(frozen=True)
class Spec:
    """One record to send, as drawn: the topic, the kind, and the random bits it needs."""

    topic: str
    kind: str
    blob: bytes = b""
    depth: int = 0
    size: int = 0
    pick: int = 0
    header_value: bytes | None = None


def kinds_for(topic: str) -> list[str]:
    bad = [k for k in BAD_KINDS if not (k == "version" and topic.startswith("raw."))]
    return bad + list(GOOD_KINDS)


@st.composite
def specs(draw: st.DrawFn, topic: str | None = None, kind: str | None = None) -> Spec:
    topic = topic or draw(st.sampled_from(TOPICS))
    kind = kind or draw(st.sampled_from(kinds_for(topic)))
    return Spec(
        topic,
        kind,
        blob=draw(st.binary(min_size=0, max_size=300)),
        depth=draw(st.sampled_from([201, 1_000, 100_000])),
        size=draw(st.integers(600_000, 990_000)),
        pick=draw(st.integers(0, 10_000)),
        header_value=draw(st.one_of(st.none(), st.binary(max_size=40))),
    )


@st.composite
def batches(draw: st.DrawFn) -> list[Spec]:
    """Every (topic, kind) at least once with drawn details, plus drawn extras, in a drawn
    order: each example covers the whole matrix, and the order and batch shapes vary."""
    every = [draw(specs(t, k)) for t in TOPICS for k in kinds_for(t)]
    extra = draw(st.lists(specs(), max_size=40))
    return draw(st.permutations(every + extra))


@dataclass(frozen=True)
class Expect:
    table: str
    column: str
    value: str


@dataclass
class Built:
    value: bytes
    key: bytes | None
    headers: list[tuple[str, bytes | None]] = field(default_factory=list)
    expect: Expect | None = None  # a good event: the reporting row it must produce


def good_event(topic: str, marker: str, n: int) -> tuple[dict[str, Any], bytes, Expect]:
    """A valid event for `topic` (JSON-like), its key, and the row it must produce."""
    at = f.T0 + timedelta(seconds=n)
    agent = f"{marker}-agent-{n % 5}"
    family = topic.split(".", 1)[1]
    if family in ("interactions", "scores"):
        raw = f.interaction(queue=marker, agent=agent, team=marker, offered=at)
        expect = Expect("interaction_facts", "interaction_id", raw["data"]["interaction_id"])
    elif family == "evaluations":
        answers = {"greeting": "yes", "identity-verification": "yes", "tone": 3}
        raw = f.evaluation(
            agent=agent, team=marker, at=at, answers=answers, interaction_id=f"int-{marker}-{n}"
        )
        expect = Expect("evaluation_facts", "evaluation_id", raw["data"]["evaluation_id"])
    elif family == "surveys":
        raw = f.survey(at=at)
        expect = Expect("survey_facts", "response_id", raw["data"]["response_id"])
    elif family == "complaints":
        raw = f.complaint(at=at)
        expect = Expect("complaint_facts", "complaint_id", raw["data"]["complaint_id"])
    elif family == "actions":
        action = action_events(marker, agent, at, evaluated=False)[0]
        expect = Expect("actions", "action_id", action.data.action_id)
        return action.model_dump(mode="json"), action.data.action_id.encode(), expect
    else:
        alert = alert_event(marker, at)
        expect = Expect("alerts", "alert_id", alert.data.alert_id)
        return alert.model_dump(mode="json"), alert.data.group_key.encode(), expect
    if topic.startswith("raw."):
        return raw, str(n).encode(), expect
    event = canonicalise(inbound_adapter.validate_python(raw), "/hostile", _PSEUDO)
    if family == "scores":
        scored = scorer().score(event)
        assert scored is not None
        return scored.model_dump(mode="json"), agent.encode(), expect
    return event.model_dump(mode="json"), route(event)[1], expect


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _leaves(v, (*path, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _leaves(v, (*path, i))]
    return [path] if isinstance(value, str) else []


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> None:
    for part in path[:-1]:
        doc = doc[part]
    doc[path[-1]] = value


def build(spec: Spec, marker: str, n: int) -> Built:
    """The record a spec stands for (n: its position, for unique ids)."""
    doc, key, expect = good_event(spec.topic, marker, n)
    odd = [("x-null", None), ("x-binary", spec.header_value or b"\xff\xfe\x00")]
    k = spec.kind
    if k in ("good", "duplicate"):
        return Built(json.dumps(doc).encode(), key, expect=expect)
    if k == "good-odd-headers":
        lie = [] if spec.topic.startswith("raw.") else [("content-type", b"text/plain")]
        return Built(json.dumps(doc).encode(), key, odd + lie, expect)
    if k == "random-bytes":
        return Built(b"\x00\xff" + spec.blob, key, odd)
    if k == "invalid-utf8":
        return Built(b'{"id": "\xff\xfe\xfd", "x": "' + spec.blob.hex().encode() + b'"}', key)
    if k == "json-lie":
        return Built(
            b'{"id": not json ' + spec.blob.hex().encode(),
            key,
            [("content-type", b"application/json")],
        )
    if k == "text-lie":
        return Built(b"\xc3\x28\xa0\xa1" + spec.blob, key, [("content-type", b"text/plain")])
    if k == "deep":
        return Built(b"[" * spec.depth + b"]" * spec.depth, key)
    if k == "huge":
        return Built(b'{"pad": "' + b"x" * spec.size + b'"}', key)
    if k == "version":
        doc["schemaversion"] = 2 + spec.pick
        return Built(json.dumps(doc).encode(), key)
    if k == "wrong-type":
        field_name = ["id", "time", "type", "data"][spec.pick % 4]
        doc[field_name] = {"not": [field_name]}
        return Built(json.dumps(doc).encode(), key)
    leaves = _leaves(doc)
    path = leaves[spec.pick % len(leaves)]
    bad = "\u0000" if k == "nul" else "\ud800"
    old = doc
    for part in path:
        old = old[part]
    _set(doc, path, f"{old}{bad}tail")
    return Built(json.dumps(doc).encode(), key)


def plan(spec_list: list[Spec], marker: str) -> list[tuple[Spec, Built]]:
    """Materialise specs; a `duplicate` resends an earlier good record of its topic (the same
    bytes and id), or is an ordinary good one when there is none yet."""
    out: list[tuple[Spec, Built]] = []
    for n, spec in enumerate(spec_list):
        earlier = [b for s, b in out if s.topic == spec.topic and b.expect is not None]
        if spec.kind == "duplicate" and earlier:
            out.append((spec, earlier[spec.pick % len(earlier)]))
        else:
            out.append((spec, build(spec, marker, n)))
    return out


def unique_marker() -> str:
    return f"hq-{uuid.uuid4().hex[:8]}"
