"""The secured local Kafka's ACL table (deploy/local/kafka_acls.py) against the issue's rules
and against what each service really consumes (its subscribers and consumer groups)."""

from __future__ import annotations

import importlib

import pytest

from contracts import topics as t

pytestmark = pytest.mark.unit
acls = importlib.import_module("deploy.local.kafka_acls")
SERVICES = ("ingest", "scoring", "actions", "reporting")


def writers(topic: t.Topic) -> set[str]:
    return {who for who, g in acls.GRANTS.items() if topic.name in g.write}


def test_one_principal_per_service_plus_sources() -> None:
    assert set(acls.GRANTS) == {*SERVICES, "source"}


def test_only_the_owner_writes_each_topic() -> None:
    for topic in t.CANONICAL:
        assert writers(topic) == {"ingest"}, topic.name
    assert writers(t.SCORES) == writers(t.ASSIGNMENTS) == {"scoring"}
    assert writers(t.ACTIONS) == writers(t.ALERTS) == {"actions"}
    assert writers(t.DEADLETTER) == set(SERVICES)
    for topic in t.RAW:
        assert writers(topic) == {"source"}, topic.name
    assert set(acls.GRANTS["source"].write) == {topic.name for topic in t.RAW}


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_may_read_exactly_what_it_consumes(service: str) -> None:
    app = importlib.import_module(f"services.{service}.app").build()
    consumed = {topic for p in app.state.consumers for topic in p.topics}
    groups = {p.group for p in app.state.consumers}
    grant = acls.GRANTS[service]
    assert set(grant.read) == consumed
    assert set(grant.groups) == groups


def test_acl_rows_are_literal_allows_for_named_users() -> None:
    rows = acls.bindings(acls.GRANTS)
    expected = sum(len(g.write) + len(g.read) + len(g.groups) for g in acls.GRANTS.values())
    assert len(rows) == expected
    for kind, _name, pattern, principal, host, operation, permission, _tags in rows:
        assert kind in (acls.TOPIC, acls.GROUP) and pattern == acls.LITERAL
        assert principal.startswith("User:") and host == "*"
        assert operation in (acls.READ, acls.WRITE) and permission == acls.ALLOW
    assert all(op == acls.READ for kind, *_, op, _p, _t in rows if kind == acls.GROUP)
