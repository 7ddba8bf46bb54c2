"""Raw records get the source their topic vouches for: a per-source topic `raw.<family>.<slug>`
overrides the claimed source (or dead-letters a different claim, naming `source`); an unknown
slug is dead-lettered; the shared topics keep the claimed source, and only when trusted. A raw
batch that repeats another source's id dead-letters it as `source_conflict`."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aiokafka import ConsumerRecord
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from contracts import topics
from runtime.kafka import Outgoing
from services.ingest.app import build
from services.ingest.domain.pseudonymise import Pseudonymiser
from services.ingest.domain.rawsources import SLUG, RawTopics, SourceRefused, validate_sources
from services.ingest.handlers import decide_raw, settle
from services.ingest.settings import IngestSettings
from tests import factories as f

P = Pseudonymiser("k1", b"secret")
RAW = RawTopics({"genesys": "/acd/genesys", "medallia": "/survey/medallia"})


def record(topic: str, event: dict[str, Any], offset: int = 0) -> ConsumerRecord[Any, Any]:
    value = json.dumps(event).encode()
    return ConsumerRecord(topic, 0, offset, 0, 0, b"k", value, None, 1, len(value), [])


def dead(out: Outgoing) -> tuple[str, list[dict[str, str]]]:
    assert out.topic == topics.DEADLETTER.name, out
    return out.headers["dlq_reason"], json.loads(out.headers["dlq_errors"])


def test_names_per_family_and_slug_and_the_shared_topics_only_when_trusted() -> None:
    per_source = [f"{t.name}.{s}" for t in topics.RAW for s in ("genesys", "medallia")]
    assert RAW.names() == [t.name for t in topics.RAW] + per_source
    untrusted = RawTopics(RAW.sources, trusted=False)
    assert untrusted.names() == per_source
    assert [t.name for t in untrusted.per_source()] == per_source
    assert {t.partitions for t in untrusted.per_source()} == {3}
    assert RawTopics(trusted=False).names() == []


@pytest.mark.parametrize("claimed", [None, "/acd/genesys"])
def test_a_per_source_topic_records_its_source(claimed: str | None) -> None:
    event = f.interaction() | {"source": claimed}
    out, claim = decide_raw(record("raw.interactions.genesys", event), P, RAW)
    assert out.topic == topics.INTERACTIONS.name
    assert json.loads(out.value)["source"] == "/acd/genesys"
    assert claim == (event["id"], "/acd/genesys")


def test_another_claimed_source_on_a_per_source_topic_is_dead_lettered_naming_source() -> None:
    event = f.survey() | {"source": "/acd/genesys"}
    out, claim = decide_raw(record("raw.surveys.medallia", event), P, RAW)
    reason, errors = dead(out)
    assert claim is None and reason.startswith("source_mismatch")
    assert [e["field"] for e in errors] == ["source"] and "/acd/genesys" in errors[0]["reason"]


@pytest.mark.parametrize("topic", ["raw.interactions.nobody", "raw.unknown.genesys"])
def test_an_unknown_slug_or_family_is_dead_lettered(topic: str) -> None:
    out, claim = decide_raw(record(topic, f.interaction()), P, RAW)
    reason, errors = dead(out)
    assert claim is None and reason.startswith("unknown_source") and topic in reason
    assert [e["field"] for e in errors] == ["(topic)"]


def test_shared_topics_keep_the_claimed_source_when_trusted_and_refuse_otherwise() -> None:
    event = f.interaction()
    out, _ = decide_raw(record("raw.interactions", event), P, RAW)
    assert json.loads(out.value)["source"] == "/test/acd"
    out, _ = decide_raw(record("raw.interactions", event | {"source": None}), P, RAW)
    assert json.loads(out.value)["source"] == "/kafka/raw.interactions"
    out, _ = decide_raw(record("raw.interactions", event), P, RawTopics(RAW.sources, False))
    assert dead(out)[0].startswith("unknown_source")


def test_settle_dead_letters_ids_another_source_owns() -> None:
    mine, taken = (f.interaction() | {"source": None} for _ in range(2))
    theirs = f.interaction()
    records = [
        record("raw.interactions.genesys", mine, 1),
        record("raw.interactions", theirs | {"id": mine["id"], "source": "/x"}, 2),
        record("raw.interactions.genesys", taken, 3),
        record("raw.interactions.genesys", mine, 4),  # a resend within the batch stays fine
    ]
    decided = [decide_raw(r, P, RAW) for r in records]
    claims = {mine["id"]: "/acd/genesys", taken["id"]: "/acd/genesys"}
    out = settle(records, decided, claims, {taken["id"]: "/crm/other"})
    assert [o.topic for o in out] == [
        topics.INTERACTIONS.name,
        topics.DEADLETTER.name,
        topics.DEADLETTER.name,
        topics.INTERACTIONS.name,
    ]
    for letter in (out[1], out[2]):
        reason, errors = dead(letter)
        assert reason.startswith("source_conflict") and errors[0]["field"] == "id"
        assert "/crm/other" not in reason and "/acd/genesys" not in reason


@given(st.dictionaries(st.from_regex(SLUG, fullmatch=True), st.just("/s"), max_size=6))
def test_no_accepted_slug_begins_another(sources: dict[str, str]) -> None:
    try:
        validate_sources(sources)
    except ValueError:
        assert any(a != b and b.startswith(a) for a in sources for b in sources)
    else:
        assert not any(a != b and b.startswith(a) for a in sources for b in sources)


@pytest.mark.parametrize(
    "sources", [{"Gen": "/a"}, {"a.b": "/a"}, {"ok": "not a source"}, {"ok": ""}]
)
def test_bad_settings_are_refused_at_start(sources: dict[str, str]) -> None:
    with pytest.raises(ValidationError, match="RAW_SOURCES"):
        IngestSettings(raw_sources=sources)


def test_a_secured_deployment_reads_only_per_source_topics() -> None:
    app = build(IngestSettings(raw_sources={"genesys": "/acd/genesys"}, raw_trusted_topics=False))
    spec = app.state.asyncapi.to_specification().to_jsonable()
    addresses = {c["address"] for c in spec["channels"].values()}
    assert "raw.interactions.genesys" in addresses
    assert not addresses & {t.name for t in topics.RAW}


def test_source_refused_names_its_code() -> None:
    err = SourceRefused("source_mismatch", {"field": "source", "reason": "r"})
    assert str(err) == "source_mismatch: r" and err.errors == [{"field": "source", "reason": "r"}]
