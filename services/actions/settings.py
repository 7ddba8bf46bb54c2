"""Actions settings (environment)."""

from __future__ import annotations

from pathlib import Path

from runtime.settings import CommonSettings

DEFAULT_RULES = Path(__file__).parent / "rules" / "default.yaml"


class ActionsSettings(CommonSettings):
    http_host: str = "127.0.0.1"
    http_port: int = 8082
    rules_path: Path = DEFAULT_RULES
