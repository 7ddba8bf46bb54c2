"""Operational alerting, a subsystem of its own: interval and complaint counters, incidents,
the alerts API and SSE stream, webhook delivery."""
