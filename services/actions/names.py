"""The actions service's names, defined once."""

from pathlib import Path

SERVICE = "actions"
SOURCE = "/qualityloop/actions"  # CloudEvents `source` of every event this service emits
CONSUMER = "qualityloop-actions"  # consumer group and exactly-once bookkeeping key
SCHEMA = "actions"
MIGRATIONS = Path(__file__).parent / "migrations"
