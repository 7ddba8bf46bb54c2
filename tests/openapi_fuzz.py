"""Schemathesis over a running service's OpenAPI document, and the rows that make its answers
worth checking (an empty list conforms to any list schema).

Schemathesis runs as its own process (its CLI, the documented interface): bounded examples
per operation, a fixed seed, no shrinking, one worker. Its JSON report gives operations and
failures by kind; its HAR file every request and status, from which 5xx are counted."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg

from services.reporting.domain.projection import COUNTERS
from services.scoring.domain.monitoring import iso_week

EXAMPLES = 30  # per operation and phase; the whole run stays well under a minute a service
SEED = 20261123
CHECKS = "not_a_server_error,response_schema_conformance,status_code_conformance,"
CHECKS += "content_type_conformance"
# An endless Server-Sent Events stream: a request never completes (tested in test_alerts).
NOT_FUZZED = ("/v1/alerts/stream",)
SCHEMA = {"ST108", "ST110", "ST111"}  # body vs schema, undecodable body, discriminator
STATUS = {"ST103"}
CONTENT_TYPE = {"ST104", "ST105", "ST106"}


@dataclass
class Figures:
    service: str
    operations: int = 0
    requests: int = 0
    server_errors: list[str] = field(default_factory=list)  # "500 GET /v1/...?..."
    schema: int = 0
    status: int = 0
    content_type: int = 0
    failures: list[str] = field(default_factory=list)  # "ST108 GET /v1/kpis"
    output: str = ""

    def line(self) -> str:
        return (
            f"schemathesis {self.service}: {self.operations} operations, "
            f"{self.requests} requests, {len(self.server_errors)} 5xx, "
            f"{self.schema} response-schema failures, {self.status} undocumented status, "
            f"{self.content_type} undocumented content type"
        )


def run(service: str, base_url: str, headers: dict[str, str], out: Path) -> Figures:
    out.mkdir(parents=True, exist_ok=True)
    report, har = out / f"{service}.json", out / f"{service}.har"
    args = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        f"{base_url}/openapi.json",
        f"--checks={CHECKS}",
        f"--max-examples={EXAMPLES}",
        f"--seed={SEED}",
        "--no-shrink",
        "--workers=1",
        "--request-timeout=15",
        "--report=json,har",
        f"--report-json-path={report}",
        f"--report-har-path={har}",
        "--continue-on-failure",  # count every failure, not the first per operation
        *(f"--exclude-path={p}" for p in NOT_FUZZED),
        *(f"--header={k}: {v}" for k, v in headers.items()),
    ]
    # cwd: its replay database (.schemathesis/) goes with the reports, not into the repo.
    done = subprocess.run(args, capture_output=True, text=True, timeout=300, cwd=out)
    figures = Figures(service, output=done.stdout[-20_000:] + done.stderr[-5_000:])
    if not report.exists():
        raise RuntimeError(f"schemathesis wrote no report: {figures.output}")
    summary = json.loads(report.read_text())
    figures.operations = summary["operations"]["tested"]
    entries = json.loads(har.read_text())["log"]["entries"]
    figures.requests = len(entries)
    figures.server_errors = [
        f"{e['response']['status']} {e['request']['method']} {e['request']['url']}"
        for e in entries
        if e["response"]["status"] >= 500
    ]
    for f in summary["failures"]:
        figures.failures += [f"{f['code']} {f['title']}: {op}" for op in f["operations"]]
        if f["code"] in SCHEMA:
            figures.schema += f["count"]
        elif f["code"] in STATUS:
            figures.status += f["count"]
        elif f["code"] in CONTENT_TYPE:
            figures.content_type += f["count"]
    return figures


ROWS = [
    """INSERT INTO reporting.evaluation_facts VALUES
        ('ev1', 'e1', 'i1', 'a1', 't1', 'qa1', 'call_listening', 'core', 'v1', 's1',
         82.5, false, NULL, true, $1),
        ('ev2', 'e2', 'i2', 'a2', 't2', 'qa1', 'call_listening', 'core', 'v1', 's1',
         40, true, 'cal1', false, $1)""",
    """INSERT INTO reporting.survey_facts VALUES
        ('r1', 'e3', $1, 'i1', 'a1', 't1', 'billing', 'voice', 5, 9, 2, true,
         'promoter', 0.6, 'great'),
        ('r2', 'e4', $1, NULL, 'a2', 't2', 'sales', 'chat', NULL, NULL, NULL, NULL,
         NULL, NULL, NULL)""",
    """INSERT INTO reporting.complaint_facts (complaint_id, category, queue, team_id,
        agent_id, raised_at, resolved_at, status) VALUES
        ('c1', 'billing', 'billing', 't1', 'a1', $1, $1::timestamptz + interval '2 hours',
         'resolved'),
        ('c2', NULL, NULL, NULL, NULL, $1, NULL, 'open')""",
    """INSERT INTO reporting.targets VALUES ('queue', 'billing', 'service_level_pct',
        80, $1), ('all', '', 'csat_pct', 85, $1), ('all', '', 'fcr_pct', 75, $1)""",
    """INSERT INTO reporting.alerts VALUES ('al1', 'service_level', 'high', 'queue',
        'billing', 'service_level_pct', 61.5, 80, $1, 'below target', $1)""",
    """INSERT INTO reporting.actions VALUES
        ('x1', 'coaching', 'r1', 'agent', 'a1', 't1', 'qa_score', 60, 70, 'raised',
         'coach a1', NULL, $1::timestamptz - interval '1 day', $1, $1, '{}', NULL),
        ('x2', 'improvement', 'r2', 'team', 't2', 't2', 'fcr_pct', 60, 70,
         'evaluated', 'fix t2', 'lead', $1, $1, $1, '{}',
         '{"action_id": "x2", "verdict": "improved"}')""",
    """INSERT INTO actions.alerts (alert_id, kind, scope_type, scope_id, severity,
        metric, observed, target, interval_start, message, raised_at, payload)
        VALUES ('al1', 'service_level', 'queue', 'billing', 'high',
        'service_level_pct', 61.5, 80, $1, 'below target', $1, '{}')""",
    """INSERT INTO scoring.assignments (plan_id, interaction_id, assignment_id,
        agent_id, team_id, channel, week, reason, interaction_at, due_by,
        completed_at) VALUES
        ('p1', 'i1', 'as1', 'a1', 't1', 'voice', $2, 'random', $1, $1, $1),
        ('p1', 'i2', 'as2', 'a2', NULL, 'chat', $2, 'risk', $1, $1, NULL)""",
    """INSERT INTO scoring.criterion_answers (interaction_id, criterion_id,
        auto_answer, human_answer) VALUES ('i1', 'greet', 'yes', 'no'),
        ('i2', 'greet', 'yes', 'yes')""",
]


async def seed(url: str) -> list[str]:
    """A few rows in every table the read APIs serve, NULLs included where allowed; returns
    the ids of actions open for transitions."""
    now = datetime.now(UTC).replace(microsecond=0)
    at = now.replace(minute=0, second=0)
    conn = await asyncpg.connect(url)
    try:
        await conn.executemany(
            f"""INSERT INTO reporting.interval_counters VALUES ($1, 'voice', $2, $3, $4,
                    {", ".join(f"${i + 5}" for i in range(len(COUNTERS)))})
                ON CONFLICT DO NOTHING""",
            [
                (at - timedelta(minutes=15 * i), q, t, a, *[10.0 * (i + 1)] * len(COUNTERS))
                for i, (q, t, a) in enumerate([("billing", "t1", "a1"), ("sales", "t2", "a2")])
            ],
        )
        for statement in ROWS:
            used = 2 if "$2" in statement else 1 if "$1" in statement else 0
            args = (now, iso_week(now))[:used]
            # Rows other tests' events may have projected meanwhile (shared topics) stay.
            await conn.execute(statement + " ON CONFLICT DO NOTHING", *args)
        ids = [f"fz-{i}" for i in range(40)]
        await conn.executemany(
            """INSERT INTO actions.actions (action_id, kind, rule_id, rule_version, trigger,
                   scope_type, scope_id, team_id, metric, observed, threshold, window_size,
                   summary, payload, due_at, raised_at)
               VALUES ($1, 'coaching', $1, 'v1', 'fixed', 'agent', $1, NULL, 'qa_score', 60,
                       70, 5, 'coach', '{"note": "seeded"}', $2, $2)
               ON CONFLICT DO NOTHING""",
            [(i, now) for i in ids],
        )
        return ids
    finally:
        await conn.close()
