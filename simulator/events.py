"""Simulated records → inbound CloudEvents as source systems send them to ingest. Pure."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta
from typing import Any

from simulator import natural
from simulator.contacts import Contact
from simulator.transcripts import transcript

NS = uuid.UUID("6f1c1f43-7a51-4d1e-9a43-51b1d0f7e0a1")


def iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


def event(kind: str, source: str, at: datetime, data: dict[str, Any], key: str) -> dict[str, Any]:
    """A deterministic event id: re-running a seed resends the same events (ingest dedupes)."""
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid5(NS, f"{kind}/{key}")),
        "source": source,
        "type": f"io.qualityloop.{kind}",
        "time": iso(at),
        "data": data,
    }


def customer(rng: random.Random, customer_id: str) -> dict[str, str]:
    block = {"customer_id": customer_id}
    if rng.random() < 0.5:
        block["phone"] = f"+44 7700 9{rng.randint(0, 99999):05d}"
    if rng.random() < 0.3:
        block["email"] = f"{customer_id.lower()}@example.com"
    return block


def interaction(rng: random.Random, c: Contact, wording: str = "templated") -> dict[str, Any]:
    """`wording`: "templated" (the detectors' own phrases) or "natural" (simulator/natural.py)."""
    data: dict[str, Any] = {
        "interaction_id": c.interaction_id,
        "channel": c.queue.channel,
        "queue": c.queue.queue,
        "customer": customer(rng, c.customer_id),
        "offered_at": iso(c.offered_at),
        "wait_seconds": round(c.wait_s, 1),
        "abandoned": c.abandoned,
        "ended_at": iso(c.ended_at),
    }
    if c.agent is not None and c.shows is not None:
        data |= {
            "agent_id": c.agent.agent_id,
            "team_id": c.agent.team_id,
            "answered_at": iso(c.offered_at + timedelta(seconds=c.wait_s)),
            "talk_seconds": round(c.talk_s),
            "hold_seconds": round(c.hold_s),
            "after_contact_work_seconds": round(c.acw_s),
            "transferred": c.transferred,
            "resolved_first_contact": c.resolved,
            "transcript": (natural.transcript if wording == "natural" else transcript)(
                rng,
                c.queue.queue,
                c.agent.agent_id.split("-")[0].title(),
                c.shows,
                bool(c.resolved),
                c.queue.channel,
            ),
        }
    return event(
        "interaction.completed", f"/sim/{c.queue.channel}", c.ended_at, data, c.interaction_id
    )
