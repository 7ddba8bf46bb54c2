"""Scoring's names, defined once: the service (logs, Kafka client id, `dlq_service`), the
CloudEvents `source` of what it publishes, its consumer group and its migrations."""

from __future__ import annotations

from pathlib import Path

SERVICE = "scoring"
SOURCE = "/qualityloop/scoring"
CONSUMER = "qualityloop-scoring"
MIGRATIONS = Path(__file__).parent / "migrations"
