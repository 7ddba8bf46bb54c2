"""Reporting's write side: events → Postgres projections (`projector`, `rebuild`, `store/`).
Its edge is `services/reporting/handlers.py` (the Kafka consumer)."""
