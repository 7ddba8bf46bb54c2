"""Contracts: every family parses; mistakes are rejected naming the field; schemas are fresh."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from contracts.__main__ import SCHEMA_DIR, render
from contracts.errors import describe
from contracts.events import EVENT_CLASSES
from contracts.inbound import inbound_adapter
from contracts.topics import ALL, TOPIC_FOR_TYPE
from tests import factories as f


@pytest.mark.parametrize("build", [f.interaction, f.evaluation, f.survey, f.complaint])
def test_each_family_parses(build) -> None:  # type: ignore[no-untyped-def]
    event = inbound_adapter.validate_python(build())
    assert event.type in TOPIC_FOR_TYPE


def _errors(payload: object) -> list[dict[str, str]]:
    with pytest.raises(ValidationError) as info:
        inbound_adapter.validate_python(payload)
    return [dict(e) for e in describe(info.value)]


def test_unknown_type_names_the_type_field() -> None:
    payload = f.interaction() | {"type": "io.qualityloop.nonsense"}
    assert _errors(payload)[0]["field"] == "type"


def test_missing_field_is_named() -> None:
    payload = f.interaction()
    del payload["data"]["queue"]
    errors = _errors(payload)
    assert {"field": "data.queue", "reason": "Field required"} in errors


def test_wrong_type_is_named() -> None:
    payload = f.interaction()
    payload["data"]["wait_seconds"] = "soon"
    assert any(e["field"] == "data.wait_seconds" for e in _errors(payload))


def test_naive_timestamp_is_refused() -> None:
    payload = f.interaction()
    payload["data"]["offered_at"] = "2026-11-20T09:00:00"
    errors = _errors(payload)
    assert any(e["field"] == "data.offered_at" and "timezone" in e["reason"] for e in errors)


def test_answered_interaction_needs_an_agent() -> None:
    payload = f.interaction()
    payload["data"]["agent_id"] = None
    assert any("agent_id is required" in e["reason"] for e in _errors(payload))


def test_unknown_field_is_refused() -> None:
    payload = f.interaction()
    payload["data"]["queu"] = "typo"
    assert any(e["field"] == "data.queu" for e in _errors(payload))


def test_survey_needs_some_answer() -> None:
    payload = f.survey(csat=None, nps=None)
    assert any("at least one" in e["reason"] for e in _errors(payload))


def test_evaluation_rejects_duplicate_criteria() -> None:
    payload = f.evaluation()
    payload["data"]["answers"] = [{"criterion_id": "a", "answer": "yes"}] * 2
    assert any("answered twice" in e["reason"] for e in _errors(payload))


def test_json_schemas_are_committed_and_fresh() -> None:
    expected = render()
    stale = [
        n
        for n, text in expected.items()
        if not (SCHEMA_DIR / n).exists() or (SCHEMA_DIR / n).read_text() != text
    ]
    assert not stale, f"run `python -m contracts export`: stale {stale}"
    for text in expected.values():
        schema = json.loads(text)
        assert "properties" in schema or "oneOf" in schema


def test_every_event_type_has_a_schema_and_topic_names_are_unique() -> None:
    assert len(render()) == len(EVENT_CLASSES) + 1
    names = [t.name for t in ALL]
    assert len(names) == len(set(names))
