"""`GET /asyncapi.json` shows what a service publishes, not only what it consumes: a `send`
operation per published topic (dead letters included), its payload the contracts' event
model. Fetched over HTTP from the built app (no broker needed: the document is generated
from the broker's declarations)."""

from __future__ import annotations

import importlib
from typing import Any

import httpx
import pytest

from contracts import topics

PUBLISHES = {
    "ingest": {
        topics.INTERACTIONS.name: {"InteractionCompletedEvent"},
        topics.EVALUATIONS.name: {"EvaluationSubmittedEvent"},
        topics.SURVEYS.name: {"SurveyRespondedEvent"},
        topics.COMPLAINTS.name: {
            "ComplaintRaisedEvent",
            "ComplaintUpdatedEvent",
            "ComplaintResolvedEvent",
        },
    },
    "scoring": {
        topics.SCORES.name: {
            "InteractionScoredEvent",
            "EvaluationScoredEvent",
            "SurveyScoredEvent",
            "ComplaintScoredEvent",
            "CalibrationAssessedEvent",
            "AutoQaGateChangedEvent",
        },
        topics.ASSIGNMENTS.name: {"EvaluationAssignedEvent"},
    },
    "actions": {
        topics.ACTIONS.name: {
            "ActionRaisedEvent",
            "ActionTransitionedEvent",
            "ActionEvaluatedEvent",
        },
        topics.ALERTS.name: {"AlertRaisedEvent"},
    },
    "reporting": {},  # projects into Postgres; publishes dead letters only
}


def resolve(spec: dict[str, Any], ref: str) -> Any:
    node: Any = spec
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def published(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Topic → payload schema, for every `send` operation of the document."""
    out: dict[str, dict[str, Any]] = {}
    for operation in spec["operations"].values():
        if operation["action"] != "send":
            continue
        channel = resolve(spec, operation["channel"]["$ref"])
        for message_ref in operation["messages"]:
            message = resolve(spec, resolve(spec, message_ref["$ref"])["$ref"])
            out[channel["address"]] = message["payload"]
    return out


def models(spec: dict[str, Any], payload: dict[str, Any]) -> set[str]:
    """The event models a payload names: one model's schema, or a union of them."""
    schema = resolve(spec, payload["$ref"])
    refs = [*schema.get("anyOf", []), *schema.get("oneOf", [])] or [payload]
    return {r["$ref"].rsplit("/", 1)[-1] for r in refs}


@pytest.mark.parametrize("service", sorted(PUBLISHES))
async def test_asyncapi_json_lists_published_topics_with_their_events(service: str) -> None:
    app = importlib.import_module(f"services.{service}.app").build()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://app") as http:
        response = await http.get("/asyncapi.json")
    assert response.status_code == 200
    spec = response.json()
    sent = published(spec)
    assert set(sent) == {*PUBLISHES[service], topics.DEADLETTER.name}
    for topic, events in PUBLISHES[service].items():
        assert models(spec, sent[topic]) == events, topic
        channel = next(c for c in spec["channels"].values() if c["address"] == topic)
        assert channel["description"]
    dead = resolve(spec, sent[topics.DEADLETTER.name]["$ref"])
    assert dead["format"] == "binary"  # the original bytes
    consumed = {
        resolve(spec, o["channel"]["$ref"])["address"]
        for o in spec["operations"].values()
        if o["action"] == "receive"
    }
    assert not consumed & set(PUBLISHES[service])  # what it sends is not shown as received
