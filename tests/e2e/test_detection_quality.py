"""Detection quality: a simulated day with injected problems, sent through ingest's HTTP API to
the four real service processes (own database), then scored against the ground truth — every
problem found with the right action type and scope, nothing raised for noise. Precision and
recall are printed and written to test-artifacts/detection.txt."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from simulator.day import simulate, yesterday
from simulator.detection import evaluate, from_reporting
from simulator.emit import over_http, over_kafka
from simulator.qa_desk import work_assignments
from tests import databases
from tests.conftest import Servers
from tests.processes import ROOT, Service, api_key, running

SEED = int(os.environ.get("QL_SIM_SEED", "7"))  # other seeds: QL_SIM_SEED=8 pytest ...
# QL_SIM_WORDING=natural: transcripts in natural wording, kept apart from the detectors' exemplars
WORDING = "natural" if os.environ.get("QL_SIM_WORDING") == "natural" else "templated"


def fresh_database(admin_url: str) -> str:
    return databases.fresh_database(admin_url, "ql_detect")


@pytest.fixture(scope="module")
def centre(servers: Servers) -> Iterator[tuple[dict[str, Service], str]]:
    """The platform on a database of its own: nothing another test raised can count here."""
    url = fresh_database(servers.admin_url)
    with running(servers.kafka, url) as procs:
        yield procs, url


async def settled(url: str, interactions: int, quiet_s: float = 10, limit_s: float = 300) -> None:
    """Every interaction projected, then no new action or alert for `quiet_s`."""
    conn = await asyncpg.connect(url)
    try:
        deadline = time.monotonic() + limit_s
        last, since = None, time.monotonic()
        while time.monotonic() < deadline:
            facts = await conn.fetchval("SELECT count(*) FROM reporting.interaction_facts")
            raised = await conn.fetchval(
                "SELECT (SELECT count(*) FROM reporting.actions)"
                " + (SELECT count(*) FROM reporting.alerts)"
            )
            if (facts, raised) != last:
                last, since = (facts, raised), time.monotonic()
            elif facts >= interactions and time.monotonic() - since >= quiet_s:
                return
            await asyncio.sleep(0.5)
        raise AssertionError(f"platform did not settle: {last}")
    finally:
        await conn.close()


async def test_platform_finds_the_injected_problems_and_nothing_else(
    centre: tuple[dict[str, Service], str], capsys: pytest.CaptureFixture[str]
) -> None:
    procs, url = centre
    day = simulate(SEED, yesterday(), wording=WORDING)
    key = await api_key(url, source="/sim")
    start = min(
        datetime.fromisoformat(e["time"]) for e in day.events if e["time"] >= day.truth["day"]
    )
    t0 = time.perf_counter()
    sent = await over_http(day.events, start.astimezone(UTC), None, procs["ingest"].url, key)
    assert sent.rejected == 0, sent.errors
    interactions = day.counts()["interaction.completed"]
    await settled(url, interactions)
    elapsed = time.perf_counter() - t0

    conn = await asyncpg.connect(url)
    try:
        actions = [dict(r) for r in await conn.fetch("SELECT * FROM reporting.actions")]
        alerts = [dict(r) for r in await conn.fetch("SELECT * FROM reporting.alerts")]
    finally:
        await conn.close()
    result = evaluate(day.truth, from_reporting(actions, alerts))
    report = [
        f"detection quality, seed {SEED}, {WORDING} wording, day {day.truth['day']}: "
        f"{len(day.events):,} events "
        f"sent in {sent.seconds:.1f} s, platform settled {elapsed:.1f} s after the first",
        *result.lines(),
        *(f"  raised: {r}" for r in result.true_positives),
    ]
    with capsys.disabled():  # the figures belong in CI's output, pass or fail
        print("\n" + "\n".join(report))
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    name = "detection.txt" if WORDING == "templated" else f"detection-{WORDING}.txt"
    (ROOT / "test-artifacts" / name).write_text("\n".join(report) + "\n")
    assert result.recall == 1.0, report
    assert not result.noise_hits, report
    assert result.precision == 1.0, report


async def test_a_day_sent_to_the_raw_topics_arrives_whole(
    centre: tuple[dict[str, Service], str], servers: Servers
) -> None:
    """The other emission path: straight to raw Kafka topics, through ingest's raw intake."""
    _, url = centre
    small = simulate(SEED + 1, yesterday() - timedelta(days=30), scale=0.1, history_days=0)
    start = min(datetime.fromisoformat(e["time"]) for e in small.events)
    sent = await over_kafka(small.events, start, None, servers.kafka)
    assert sent.accepted == len(small.events)
    want = small.counts()["interaction.completed"]
    conn = await asyncpg.connect(url)
    try:
        for _ in range(240):
            got = await conn.fetchval(
                "SELECT count(*) FROM reporting.interaction_facts WHERE interaction_id LIKE $1",
                f"sim{SEED + 1}-%",
            )
            if got >= want:
                break
            await asyncio.sleep(0.5)
    finally:
        await conn.close()
    assert got == want


async def test_qa_desk_evaluates_what_the_monitoring_plan_assigned(
    centre: tuple[dict[str, Service], str], servers: Servers
) -> None:
    """Monitoring plan → assignments → the QA desk's evaluations → scored and projected."""
    procs, url = centre
    day = simulate(SEED, yesterday(), wording=WORDING)  # the day the first test sent
    key = await api_key(url, source="/sim/qa")
    contacts = {c.interaction_id: c for c in day.contacts}
    done = await work_assignments(servers.kafka, contacts, procs["ingest"].url, key, SEED)
    assert done, "the monitoring plan assigned none of the day's contacts"
    conn = await asyncpg.connect(url)
    try:
        for _ in range(120):
            seen = await conn.fetchval(
                "SELECT count(DISTINCT interaction_id) FROM reporting.evaluation_facts "
                "WHERE interaction_id = ANY($1::text[]) AND method <> 'automated'",
                done,
            )
            if seen == len(done):
                break
            await asyncio.sleep(0.5)
    finally:
        await conn.close()
    assert seen == len(done)
    agents = {contacts[i].agent.agent_id for i in done if contacts[i].agent}
    assert len(agents) >= 12  # the plan covers (nearly) every agent, not a lucky few
