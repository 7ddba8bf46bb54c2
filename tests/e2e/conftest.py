"""End-to-end fixtures: the four services as processes, one platform per test module
(a module may stop them)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from tests.conftest import Servers
from tests.kafka_helpers import skip_all_backlogs
from tests.processes import Service, platform


@pytest.fixture(scope="module")
def services(servers: Servers) -> Iterator[dict[str, Service]]:
    asyncio.run(skip_all_backlogs(servers.kafka))
    procs = platform(servers.kafka, servers.database_url)
    for s in procs.values():
        s.start()
    try:
        for s in procs.values():
            s.wait_ready()
        yield procs
    finally:
        for s in procs.values():
            s.stop()
