"""Thousands of malformed requests against the real app (real broker): never a 5xx.

Hypothesis generates arbitrary JSON, raw bytes, and valid events with one field mutated or
removed; each must be answered 2xx or 4xx, and every 4xx must carry field/reason errors.
"""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.ingest.app import build
from services.ingest.settings import IngestSettings
from tests import factories as f
from tests.conftest import Servers
from tests.processes import api_key

PATHS = [
    "/v1/events",
    "/v1/events/batch",
    "/v1/interactions",
    "/v1/surveys",
    "/v1/complaints/batch",
    "/v1/evaluations",
]
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
FUZZ = settings(
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def http(servers: Servers) -> Iterator[TestClient]:
    app = build(
        IngestSettings(
            kafka_bootstrap_servers=servers.kafka,
            database_url=servers.database_url,
            max_body_bytes=64 * 1024,
        )
    )
    with TestClient(app, raise_server_exceptions=False) as client:
        key = asyncio.run(api_key(servers.database_url, source="/test/fuzz"))
        client.headers["Authorization"] = f"Bearer {key}"
        yield client


def check(response: Any) -> None:
    assert response.status_code < 500, (response.status_code, response.text[:300])
    if response.status_code >= 400:
        errors = response.json()["errors"]
        assert errors and all(e["field"] and e["reason"] for e in errors)


def leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in leaves(v, (*path, k))] or [path]
    if isinstance(value, list) and value:
        return [p for n, v in enumerate(value) for p in leaves(v, (*path, n))]
    return [path]


@FUZZ
@given(path=st.sampled_from(PATHS), body=json_values)
def test_arbitrary_json_never_5xx(http: TestClient, path: str, body: Any) -> None:
    check(http.post(path, content=json.dumps(body), headers={"content-type": "application/json"}))


@FUZZ
@given(
    path=st.sampled_from(PATHS),
    body=st.binary(max_size=300),
    ctype=st.sampled_from(
        ["application/json", "text/plain", "", "application/x-www-form-urlencoded"]
    ),
)
def test_arbitrary_bytes_never_5xx(http: TestClient, path: str, body: bytes, ctype: str) -> None:
    check(http.post(path, content=body, headers={"content-type": ctype}))


@FUZZ
@given(
    data=st.data(),
    family=st.sampled_from(["interaction", "evaluation", "survey", "complaint"]),
    value=json_values,
    delete=st.booleans(),
)
def test_mutated_events_never_5xx(
    http: TestClient, data: st.DataObject, family: str, value: Any, delete: bool
) -> None:
    event = copy.deepcopy(getattr(f, family)())
    path = data.draw(st.sampled_from(leaves(event)))
    target = event
    for part in path[:-1]:
        target = target[part]
    if path:
        if delete and isinstance(target, dict):
            del target[path[-1]]
        else:
            target[path[-1]] = value
    check(http.post("/v1/events", json=event))
