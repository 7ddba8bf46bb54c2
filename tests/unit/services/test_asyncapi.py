"""Each service's AsyncAPI document is generated from its FastStream broker (no servers needed)
and names the topics it consumes; OpenAPI documents build too."""

from __future__ import annotations

import importlib

import pytest

from contracts import topics

CONSUMES = {
    "ingest": [t.name for t in topics.RAW],
    "scoring": [t.name for t in topics.CANONICAL],
    "actions": [topics.SCORES.name],
    "reporting": [
        topics.SCORES.name,
        topics.ACTIONS.name,
        topics.COMPLAINTS.name,
        topics.ALERTS.name,
    ],
}


@pytest.mark.parametrize("service", sorted(CONSUMES))
def test_asyncapi_and_openapi_documents(service: str) -> None:
    app = importlib.import_module(f"services.{service}.app").build()
    spec = app.state.asyncapi.to_specification().to_jsonable()
    assert spec["asyncapi"].startswith("3.")
    addresses = {c["address"] for c in spec["channels"].values()}
    assert set(CONSUMES[service]) <= addresses
    assert app.openapi()["paths"]["/ready"]
