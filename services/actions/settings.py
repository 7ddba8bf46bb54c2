"""Actions settings (environment)."""

from __future__ import annotations

from pathlib import Path
from typing import Self

from pydantic import model_validator

from runtime.settings import CommonSettings, require_secret

# Public, so refused in production; development falls back to it when no secret is set.
DEV_WEBHOOK_SECRET = "dev-only-webhook-secret-change-me"
DEFAULT_RULES = Path(__file__).parent / "rules" / "default.yaml"


class ActionsSettings(CommonSettings):
    http_host: str = "127.0.0.1"
    http_port: int = 8082
    rules_path: Path = DEFAULT_RULES
    sweep_interval_s: float = 30.0  # overdue escalation and due impact evaluations
    impact_window_s: float = 14 * 86400.0  # before/after windows around an action's done time
    alert_min_offered: int = 20  # contacts in an interval before its service level can alert
    alert_webhooks: tuple[str, ...] = ()  # e.g. ALERT_WEBHOOKS='["https://ops.example/hook"]'
    webhook_secret: str = ""  # HMAC-SHA256 key for signatures
    webhook_max_attempts: int = 8
    webhook_backoff_s: float = 2.0
    spike_confidence: float = 0.99
    spike_min_complaints: int = 5
    # Live alert streams: per caller (a token) and for the process, so nobody holds them all.
    alert_streams_per_caller: int = 3
    alert_streams_total: int = 100

    @model_validator(mode="after")
    def _secret_is_real(self) -> Self:
        require_secret(self, "webhook_secret", DEV_WEBHOOK_SECRET)
        return self
