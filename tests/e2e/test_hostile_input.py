"""Hostile-input suite: generated hostile records on every consumed topic, interleaved with good
events, through the four real service processes on real Kafka and Postgres.

Afterwards: every good event applied exactly once, every bad record on `ql.deadletter` with
its reason from each service that consumes its topic, no consumer stuck (lag 0), within a
bounded time. Figures per topic are printed at the end of the module (and written to
test-artifacts/hostile.txt). `HOSTILE_EXAMPLES` sets how many generated runs (default 4).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests import dlq
from tests.conftest import Servers
from tests.hostile import CONSUMERS, TOPICS, Spec, batches, plan, unique_marker
from tests.processes import Service, person_token

pytestmark = pytest.mark.e2e
EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "4"))
SETTLE_S = 120.0
ALL = "(all)"
ARTIFACT = Path(__file__).resolve().parents[2] / "test-artifacts" / "hostile.txt"


@pytest.fixture(scope="module")
def figures(pytestconfig: pytest.Config) -> Iterator[dict[str, Counter[str]]]:
    found: dict[str, Counter[str]] = {t: Counter() for t in (*TOPICS, ALL)}
    yield found
    lines = ["hostile-input suite (records through the real services):"]
    lines.append(
        f"  {'topic':18} {'tried':>6} {'bad':>5} {'dead-lettered':>14} {'good':>5} {'applied':>8}"
    )
    for t in TOPICS:
        c = found[t]
        lines.append(
            f"  {t:18} {c['tried']:6} {c['bad']:5} {c['dead_lettered']:14} "
            f"{c['good']:5} {c['applied']:8}"
        )
    total = sum((found[t] for t in TOPICS), Counter()) + found[ALL]
    lines.append(
        f"  total: {total['tried']} records tried, {total['dead_lettered']}/{total['bad']} bad "
        f"dead-lettered, {total['applied']}/{total['good']} good applied exactly once, "
        f"{total['stuck']} stuck consumers, {total['runs']} runs, slowest settle "
        f"{found[ALL]['settle_ms'] / 1000:.1f} s"
    )
    ARTIFACT.parent.mkdir(exist_ok=True)
    ARTIFACT.write_text("\n".join(lines) + "\n")
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        for line in lines:
            reporter.write_line(line)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=[Phase.generate],  # each example costs seconds of real I/O: no shrinking
    suppress_health_check=list(HealthCheck),
)
@given(
    spec_list=batches(),
    flush_every=st.integers(1, 40),
)
def test_no_record_stalls_or_is_lost(
    services: dict[str, Service],
    servers: Servers,
    figures: dict[str, Counter[str]],
    spec_list: list[Spec],
    flush_every: int,
) -> None:
    asyncio.run(_run(services, servers, figures, spec_list, flush_every))


async def _run(
    services: dict[str, Service],
    servers: Servers,
    figures: dict[str, Counter[str]],
    spec_list: list[Spec],
    flush_every: int,
) -> None:
    marker = unique_marker()
    ops_token = await person_token(servers.database_url, "ops_manager")
    records = plan(spec_list, marker)
    since = await dlq.dead_letter_ends(servers.kafka)
    placed = await dlq.produce(
        servers.kafka,
        [(s.topic, b.value, b.key, b.headers) for s, b in records],
        flush_every,
    )
    began = time.monotonic()
    good: dict[tuple[str, str, str], str] = {}  # (table, column, value) -> topic
    bad: list[tuple[str, int, int, str]] = []
    for (spec, built), where in zip(records, placed, strict=True):
        c = figures[spec.topic]
        c["tried"] += 1
        if built.expect is None:
            c["bad"] += 1
            bad += [(where.topic, where.partition, where.offset, s) for s in CONSUMERS[spec.topic]]
        else:
            good[(built.expect.table, built.expect.column, built.expect.value)] = spec.topic
    interactions = sum(1 for (table, _, _) in good if table == "interaction_facts")

    while True:
        letters = dlq.by_source(await dlq.dead_letters(servers.kafka, since))
        missing_dlq = [b for b in bad if b not in letters]
        counts: dict[tuple[str, str, str], int] = {}
        for table, column in {(t, c) for t, c, _ in good}:
            values = [v for t, c, v in good if (t, c) == (table, column)]
            for v, n in (await dlq.present(servers.database_url, table, column, values)).items():
                counts[(table, column, v)] = n
        missing = [k for k, n in counts.items() if n != 1]
        counted = await dlq.offered(servers.database_url, marker)
        health = await dlq.consumer_health((s.url for s in services.values()), ops_token)
        lagging = [h for h in health if h["lag"]]
        settled = not missing_dlq and not missing and counted == interactions and not lagging
        if settled or time.monotonic() - began > SETTLE_S:
            break
        await asyncio.sleep(1.0)

    stuck = [h for h in health if not h["ok"]]
    for spec, built in records:
        if built.expect is not None:
            key = (built.expect.table, built.expect.column, built.expect.value)
            figures[spec.topic]["good"] += 1
            figures[spec.topic]["applied"] += counts.get(key) == 1
    for (spec, built), where in zip(records, placed, strict=True):
        if built.expect is None:
            at = (where.topic, where.partition, where.offset)
            every = all((*at, s) in letters for s in CONSUMERS[spec.topic])
            figures[spec.topic]["dead_lettered"] += every
    run = figures[ALL]
    run["runs"] += 1
    run["stuck"] += len(stuck)
    run["settle_ms"] = max(run["settle_ms"], int((time.monotonic() - began) * 1000))
    reasons = [letters[b].get("dlq_reason", "") for b in bad if b in letters]
    assert all(reasons), "every dead letter names its reason"
    assert not missing_dlq, f"bad records not dead-lettered: {missing_dlq[:5]}"
    assert not missing, f"good events not applied exactly once: {missing[:5]}"
    assert counted == interactions, f"contacts counted {counted} != {interactions}"
    assert not stuck and not lagging, f"consumers stuck or lagging: {stuck or lagging}"
