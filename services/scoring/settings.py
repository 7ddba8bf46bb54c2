"""Scoring settings (environment)."""

from __future__ import annotations

from pathlib import Path

from runtime.settings import CommonSettings

DEFAULT_STANDARDS = Path(__file__).parent / "standards"


class ScoringSettings(CommonSettings):
    http_host: str = "127.0.0.1"
    http_port: int = 8081
    standards_path: Path = DEFAULT_STANDARDS
    auto_qa_scorecard: str = "core-qa"
    calibration_tolerance: float = 10.0  # points from the session consensus before flagging
    autoqa_cache_size: int = 20_000  # sentence vectors kept (1.5 KiB each): agents repeat scripts
