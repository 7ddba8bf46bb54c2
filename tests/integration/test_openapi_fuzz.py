"""Zero 5xx: schemathesis over the four services' OpenAPI documents (real processes, real Kafka
and Postgres, valid credentials, seeded rows), with the 5xx it once found as named regression
tests. Figures per service are printed and written to test-artifacts/openapi-fuzz.txt."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from tests import openapi_fuzz
from tests.conftest import Servers, _fresh_database
from tests.processes import ROOT, Service, api_key, person_token, running

ARTIFACTS = ROOT / "test-artifacts"
OWNED = ("scoring", "actions", "reporting")  # this slice; ingest's API has its own owner


@dataclass
class Platform:
    procs: dict[str, Service]
    headers: dict[str, dict[str, str]]
    actions: list[str]  # seeded action ids, open for transitions

    def get(self, service: str, path: str, **params: str) -> httpx.Response:
        url = self.procs[service].url + path
        return httpx.get(url, params=params, headers=self.headers[service], timeout=10)


async def _credentials(url: str) -> tuple[str, str]:
    return await person_token(url, "ops_manager"), await api_key(url, source="/openapi-fuzz")


@pytest.fixture(scope="module")
def centre(servers: Servers) -> Iterator[Platform]:
    url = _fresh_database(servers.admin_url)  # seeded rows of its own, nobody else's
    (ARTIFACTS / "openapi-fuzz.txt").unlink(missing_ok=True)
    with running(servers.kafka, url) as procs:
        token, key = asyncio.run(_credentials(url))
        # An operations manager's token: every endpoint of scoring, actions and reporting.
        headers: dict[str, dict[str, str]] = {
            n: {"Authorization": f"Bearer {token}"} for n in procs
        }
        headers["ingest"] = {"Authorization": f"Bearer {key}"}
        yield Platform(procs, headers, asyncio.run(openapi_fuzz.seed(url)))


def _refused(response: httpx.Response, field: str) -> None:
    assert response.status_code == 422, response.text
    assert any(field in e["field"] for e in response.json()["errors"]), response.text


def test_transition_by_in_the_body_or_a_nul_reason_is_a_422_naming_it(centre: Platform) -> None:
    action = centre.actions[0]
    url = f"{centre.procs['actions'].url}/v1/actions/{action}/transitions"
    auth = centre.headers["actions"]
    # `by` comes from the token: the body may not name someone else.
    _refused(
        httpx.post(url, json={"status": "acknowledged", "by": "Sam Smith"}, headers=auth), "by"
    )
    cancel = {"status": "cancelled", "reason": "a\0"}
    _refused(httpx.post(url, json=cancel, headers=auth), "reason")
    assert centre.get("actions", f"/v1/actions/{action}").json()["status"] == "raised"
    done = httpx.post(url, json={"status": "acknowledged"}, headers=auth)
    assert done.status_code == 200, done.text


TEXT_PARAMETERS = [
    ("actions", "/v1/actions", "kind"),
    ("actions", "/v1/actions", "scope_id"),
    ("actions", "/v1/actions/a%00b", "action_id"),
    ("reporting", "/v1/kpis", "queue"),
    ("reporting", "/v1/kpis/experience", "team_id"),
    ("reporting", "/v1/evaluations", "agent_id"),
    ("reporting", "/v1/evaluations/a%00b", "evaluation_id"),
    ("reporting", "/v1/actions", "status"),
    ("reporting", "/v1/access-log", "agent_id"),
]


@pytest.mark.parametrize(("service", "path", "name"), TEXT_PARAMETERS)
def test_a_nul_in_a_text_parameter_is_a_422_naming_it(
    centre: Platform, service: str, path: str, name: str
) -> None:
    params = {} if "%00" in path else {name: "a\0b"}
    _refused(centre.get(service, path, **params), name)


BIGINT_OFFSETS = [
    ("actions", "/v1/actions"),
    ("reporting", "/v1/kpis"),
    ("reporting", "/v1/kpis/experience"),
    ("reporting", "/v1/evaluations"),
    ("reporting", "/v1/actions"),
    ("reporting", "/v1/access-log"),
]


@pytest.mark.parametrize(("service", "path"), BIGINT_OFFSETS)
def test_an_offset_beyond_bigint_is_a_422(centre: Platform, service: str, path: str) -> None:
    _refused(centre.get(service, path, offset="9223372036854775808"), "offset")


@pytest.mark.parametrize(
    ("path", "name", "value"),
    [
        ("/v1/dashboard", "day", "9999-12-31"),
        ("/v1/kpis", "start", "9999-12-31T23:59:59-14:00"),
        ("/v1/kpis/experience", "end", "9999-12-31T23:59:59-14:00"),
        ("/v1/evaluations", "start", "0001-01-01T00:00:00+14:00"),
        ("/v1/alerts", "since", "9999-12-31T23:59:59-14:00"),
    ],
)
def test_a_date_out_of_range_is_a_422(centre: Platform, path: str, name: str, value: str) -> None:
    _refused(centre.get("reporting", path, **{name: value}), name)


@pytest.mark.parametrize("service", ["scoring", "actions", "reporting", "ingest"])
def test_schemathesis_finds_no_5xx(
    centre: Platform, service: str, capsys: pytest.CaptureFixture[str]
) -> None:
    proc = centre.procs[service]
    figures = openapi_fuzz.run(
        service, proc.url, centre.headers[service], ARTIFACTS / "schemathesis"
    )
    with capsys.disabled():  # the figures belong in CI's output, pass or fail
        print(f"\n{figures.line()}")
    with (ARTIFACTS / "openapi-fuzz.txt").open("a") as out:
        out.write(figures.line() + "\n" + "".join(f"  {f}\n" for f in figures.failures))
    assert figures.operations > 0 and figures.requests > 0, figures.output
    assert not figures.server_errors, (figures.server_errors[:10], proc.tail())
    assert figures.schema == 0, figures.output
    if service in OWNED:
        assert figures.failures == [], figures.output
