"""After a simulated day is sent: wait for the platform to settle, then summarise what it found
(through reporting's read API, as an operations manager would see it)."""

from __future__ import annotations

import time
from collections import Counter
from datetime import date, timedelta
from typing import Any

import httpx

from simulator.detection import Detection, evaluate, from_reporting


def _day_rows(rows: list[dict[str, Any]], field: str, day: date) -> list[dict[str, Any]]:
    return [r for r in rows if str(r[field]).startswith(day.isoformat())]


def backlog(http: httpx.Client, service_urls: list[str]) -> int:
    """Records the services' consumer groups still have to process (their ops endpoint, read
    with the same operator's token); unknown when a service does not answer: counted as 1."""
    total = 0
    for url in service_urls:
        try:
            body = http.get(url + "/health/consumers").json()
            total += sum(int(c["lag"] or 0) for c in body["consumers"])
        except (httpx.HTTPError, KeyError, TypeError, ValueError):
            total += 1
    return total


def settle(
    http: httpx.Client,
    day: date,
    interactions: int,
    quiet_s: float = 8,
    limit_s: float = 300,
    service_urls: list[str] | None = None,
) -> tuple[int, list[dict[str, Any]], list[dict[str, Any]]]:
    """Poll until every interaction of the day is in the KPIs, every service's consumers have
    caught up (when `service_urls` are given) and no new action or alert has appeared for
    `quiet_s`; returns (offered, actions, alerts) of the day."""
    deadline, last, since = time.monotonic() + limit_s, None, time.monotonic()
    params = {
        "granularity": "day",
        "scope": "all",
        "start": day.isoformat(),
        "end": (day + timedelta(days=1)).isoformat(),
    }
    while True:
        kpis = http.get("/v1/kpis", params=params).raise_for_status().json()
        offered = sum(k["offered"] for k in kpis)
        actions = _day_rows(
            http.get("/v1/actions", params={"limit": 1000}).raise_for_status().json(),
            "raised_at",
            day,
        )
        alerts = _day_rows(
            http.get("/v1/alerts", params={"limit": 1000}).raise_for_status().json(),
            "interval_start",
            day,
        )
        behind = backlog(http, service_urls or [])
        state = (offered, len(actions), len(alerts))
        if state != last or behind:
            last, since = state, time.monotonic()
        elif offered >= interactions and time.monotonic() - since >= quiet_s:
            return offered, actions, alerts
        if time.monotonic() > deadline:
            return offered, actions, alerts
        time.sleep(1)


def summary(
    offered: int,
    actions: list[dict[str, Any]],
    alerts: list[dict[str, Any]],
    truth: dict[str, Any],
) -> tuple[list[str], Detection]:
    found = evaluate(truth, from_reporting(actions, alerts))
    lines = [f"contacts in the KPIs for {truth['day']}: {offered:,}"]
    lines.append(f"alerts: {len(alerts)}")
    for (kind, scope), n in sorted(
        Counter((a["kind"], f"{a['scope_type']}:{a['scope_id']}") for a in alerts).items()
    ):
        lines.append(f"  {kind:16s} {scope}" + (f"  (x{n})" if n > 1 else ""))
    lines.append(f"actions raised: {len(actions)}")
    for a in sorted(actions, key=lambda a: (a["kind"], a["scope_type"], a["scope_id"])):
        lines.append(f"  {a['kind']:11s} {a['scope_type']}:{a['scope_id']:24s} {a['summary'][:90]}")
    lines.append("against the injected problems (ground truth):")
    lines += found.lines()
    return lines, found
