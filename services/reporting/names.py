"""The reporting service's names, each defined once."""

from __future__ import annotations

from pathlib import Path

from contracts import topics

SERVICE = "reporting"
SCHEMA = SERVICE  # runtime migrates the schema named after the service
REBUILD_SCHEMA = f"{SCHEMA}_rebuild"  # `rebuild` replays into it, then swaps it in
CONSUMER = "qualityloop-reporting"
TOPICS = (topics.SCORES.name, topics.ACTIONS.name, topics.COMPLAINTS.name, topics.ALERTS.name)
MIGRATIONS = Path(__file__).parent / "migrations"
