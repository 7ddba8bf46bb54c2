"""End-to-end fixtures: the four services as processes, one platform per test module
(a module may stop them)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import Servers
from tests.processes import Service, running


@pytest.fixture(scope="module")
def services(servers: Servers) -> Iterator[dict[str, Service]]:
    with running(servers.kafka, servers.database_url, servers.roles) as procs:
        yield procs
