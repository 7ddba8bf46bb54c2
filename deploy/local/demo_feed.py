"""A small demo feed for `make run`: a morning's contacts for two teams, through ingest's HTTP
API, then the KPIs and actions as reporting shows them. (The full simulator replaces this.)"""

from __future__ import annotations

import argparse
import random
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

GOOD = (
    "Agent: Good morning, thank you for calling, my name is {agent}. "
    "Can I confirm your date of birth and postcode for security? "
    "Customer: Sure. Agent: Thanks. This call may be recorded for quality and training. "
    "Customer: My bill is wrong, my email is sam@example.com. "
    "Agent: I'm sorry about that, I understand. I've corrected the bill. "
    "To summarise, the credit shows in 2 days. Is there anything else I can help with?"
)
BAD = (
    "Agent: Yeah? Customer: My card 4111 1111 1111 1111 was charged twice, call me on "
    "07700 900123. Agent: Not my department, you'll have to ring back."
)


def iso(dt: datetime) -> str:
    return dt.isoformat().replace("+00:00", "Z")


def interaction(
    rng: random.Random, at: datetime, agent: str, team: str, queue: str, bad: bool
) -> dict[str, Any]:
    wait = rng.lognormvariate(2.5, 0.8)
    abandoned = wait > 60 and rng.random() < 0.5
    talk, hold, acw = rng.lognormvariate(5.3, 0.4), rng.choice([0, 0, 30]), rng.uniform(20, 90)
    data: dict[str, Any] = {
        "interaction_id": f"demo-{uuid.uuid4().hex[:10]}",
        "channel": "voice",
        "queue": queue,
        "team_id": team,
        "offered_at": iso(at),
        "wait_seconds": round(wait, 1),
        "abandoned": abandoned,
        "customer": {"customer_id": f"CUST-{rng.randint(1000, 9999)}"},
        "ended_at": iso(at + timedelta(seconds=wait + (0 if abandoned else talk + hold + acw))),
    }
    if not abandoned:
        data |= {
            "agent_id": agent,
            "answered_at": iso(at + timedelta(seconds=wait)),
            "talk_seconds": round(talk),
            "hold_seconds": hold,
            "after_contact_work_seconds": round(acw),
            "resolved_first_contact": rng.random() < 0.75,
            "transcript": (BAD if bad else GOOD).format(agent=agent),
        }
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": "/demo/acd",
        "type": "io.qualityloop.interaction.completed",
        "time": data["ended_at"],
        "data": data,
    }


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--ingest", default="http://127.0.0.1:8080")
    p.add_argument("--reporting", default="http://127.0.0.1:8083")
    p.add_argument("--events", type=int, default=60)
    p.add_argument("--key", required=True, help="ingest API key")
    args = p.parse_args()
    rng = random.Random(7)
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=2)
    agents = [(f"agent-{n}", "team-north" if n < 4 else "team-south") for n in range(8)]
    events = []
    for n in range(args.events):
        agent, team = rng.choice(agents)
        at = start + timedelta(seconds=n * 7200 / args.events)
        events.append(
            interaction(
                rng,
                at,
                agent,
                team,
                rng.choice(["billing", "support"]),
                bad=agent == "agent-5" and n % 2 == 0,
            )
        )
    t0 = time.perf_counter()
    r = httpx.post(
        f"{args.ingest}/v1/interactions/batch",
        json=events,
        timeout=30,
        headers={"Authorization": f"Bearer {args.key}"},
    )
    r.raise_for_status()
    body = r.json()
    print(
        f"demo feed: {body['accepted']} accepted, {body['rejected']} rejected "
        f"in {time.perf_counter() - t0:.2f}s"
    )
    for _ in range(120):
        kpis = httpx.get(
            f"{args.reporting}/v1/kpis", params={"granularity": "hour", "scope": "queue"}
        ).json()
        if sum(row["offered"] for row in kpis) >= body["accepted"]:
            break
        time.sleep(0.5)
    totals: dict[str, dict[str, Any]] = {}
    for row in kpis:
        t = totals.setdefault(row["scope_id"], {"offered": 0, "answered": 0, "within": 0})
        t["offered"] += row["offered"]
        t["answered"] += row["answered"]
        t["within"] += row["answered_within_threshold"]
    for queue, t in sorted(totals.items()):
        print(
            f"  queue {queue:8s} offered {t['offered']:3d}  answered {t['answered']:3d}  "
            f"answered within threshold {t['within']:3d}"
        )
    actions = httpx.get(f"{args.reporting}/v1/actions").json()
    print(f"actions in reporting: {len(actions)}")
    for a in actions[:5]:
        print(f"  {a['kind']:11s} {a['scope_type']}:{a['scope_id']:10s} {a['summary']}")


if __name__ == "__main__":
    main()
