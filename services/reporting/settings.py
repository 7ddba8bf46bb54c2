"""Reporting settings (environment)."""

from __future__ import annotations

from runtime.settings import CommonSettings


class ReportingSettings(CommonSettings):
    http_host: str = "127.0.0.1"
    http_port: int = 8083
