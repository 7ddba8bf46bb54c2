"""Topics and access control on the secured local Kafka, applied as the `admin` super user by
`deploy/local/stack.sh` (QL_KAFKA_SECURE=1); idempotent, so it runs at every start.

One principal per service with exactly what its code needs, plus `source` for systems that
publish straight to Kafka:

| principal | writes | reads |
| --- | --- | --- |
| ingest | canonical topics, ql.deadletter | raw.* |
| scoring | ql.scores, ql.assignments, ql.deadletter | canonical topics |
| actions | ql.actions, ql.alerts, ql.deadletter | ql.scores |
| reporting | ql.deadletter | ql.scores, ql.actions, ql.complaints, ql.alerts |
| source | raw.* | ql.assignments (group-less: evaluators' tools such as the QA desk) |

Each service reads in its own consumer group (qualityloop-<service>; ingest: -ingest-raw);
reporting's rebuild reads group-less with the same principal.

Write and Read imply Describe. Idempotent producers need no cluster right on Kafka 3+ (a Write
on any topic suffices, KIP-679). Topics are created here: services may not create them.

Usage: `python -m deploy.local.kafka_acls` with KAFKA_* naming the admin (as `stack.sh env`).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import for_code

from contracts import topics as t
from deploy.local.kafka_acl_protocol import CreateAcls, DescribeAllAcls
from runtime.kafka import ensure_topics
from runtime.kafka_security import client_options
from runtime.settings import KafkaSettings

# Kafka's enum codes (org.apache.kafka.common.resource / acl).
TOPIC, GROUP = 2, 3
LITERAL = 3
READ, WRITE = 3, 4
ALLOW = 3


@dataclass(frozen=True)
class Grant:
    write: tuple[str, ...] = ()
    read: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()


def names(*topics: t.Topic) -> tuple[str, ...]:
    return tuple(topic.name for topic in topics)


GRANTS: dict[str, Grant] = {
    "ingest": Grant(
        write=names(*t.CANONICAL, t.DEADLETTER),
        read=names(*t.RAW),
        groups=("qualityloop-ingest-raw",),
    ),
    "scoring": Grant(
        write=names(t.SCORES, t.ASSIGNMENTS, t.DEADLETTER),
        read=names(*t.CANONICAL),
        groups=("qualityloop-scoring",),
    ),
    "actions": Grant(
        write=names(t.ACTIONS, t.ALERTS, t.DEADLETTER),
        read=names(t.SCORES),
        groups=("qualityloop-actions",),
    ),
    "reporting": Grant(
        write=names(t.DEADLETTER),
        read=names(t.SCORES, t.ACTIONS, t.COMPLAINTS, t.ALERTS),
        groups=("qualityloop-reporting",),
    ),
    "source": Grant(write=names(*t.RAW), read=names(t.ASSIGNMENTS)),
}


def bindings(grants: dict[str, Grant]) -> list[tuple[int, str, int, str, str, int, int, dict]]:
    """CreateAcls rows: (resource type, name, pattern, principal, host, operation, allow)."""
    rows = []
    for user, g in grants.items():
        wanted = [(TOPIC, n, WRITE) for n in g.write] + [(TOPIC, n, READ) for n in g.read]
        wanted += [(GROUP, n, READ) for n in g.groups]
        rows += [(kind, n, LITERAL, f"User:{user}", "*", op, ALLOW, {}) for kind, n, op in wanted]
    return rows


async def visible(admin: AIOKafkaAdminClient) -> set[tuple[int, str, int, str, str, int, int]]:
    """The ACLs the broker's authorizer holds now (it applies new ones asynchronously)."""
    response = await admin._send_request(DescribeAllAcls())
    if response.error_code:
        raise for_code(response.error_code)(response.error_message)
    return {
        (kind, name, pattern, principal, host, op, permission)
        for kind, name, pattern, acls, _ in response.resources
        for principal, host, op, permission, _ in acls
    }


async def apply(kafka: KafkaSettings, grants: dict[str, Grant] = GRANTS) -> int:
    """Create every topic and every ACL in `grants` (existing ones are left as they are)."""
    await ensure_topics(kafka, t.ALL)
    admin = AIOKafkaAdminClient(**client_options(kafka), client_id="qualityloop-acls")
    await admin.start()
    try:
        rows = bindings(grants)
        response = await admin._send_request(CreateAcls(rows))  # no public API in aiokafka
        failed = [(r[0], r[1], rows[i]) for i, r in enumerate(response.results) if r[0]]
        if failed:
            code, message, row = failed[0]
            raise for_code(code)(f"{len(failed)} ACL(s) refused, e.g. {row}: {message}")
        # Return only once the broker enforces them: clients started right after must not
        # meet a half-applied policy (e.g. an idempotent producer refused at InitProducerId).
        wanted = {row[:7] for row in rows}
        for _ in range(100):
            if wanted <= await visible(admin):
                return len(rows)
            await asyncio.sleep(0.1)
        raise TimeoutError("the broker did not apply the ACLs within 10 s")
    finally:
        await admin.close()


if __name__ == "__main__":
    settings = KafkaSettings()
    count = asyncio.run(apply(settings))
    print(f"[stack] kafka: every topic, {count} ACLs for {len(GRANTS)} principals")
