"""Ingest's names, defined once: the service (logs, Kafka client id, `dlq_service`), its
raw-topic consumer group and its migrations (the `ingest` schema: API keys, event id owners)."""

from __future__ import annotations

from pathlib import Path

SERVICE = "ingest"
CONSUMER = "qualityloop-ingest-raw"
MIGRATIONS = Path(__file__).parent / "migrations"
