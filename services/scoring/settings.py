"""Scoring settings (environment)."""

from __future__ import annotations

from pathlib import Path

from contracts.gates import GateRule, GateState
from runtime.settings import CommonSettings

DEFAULT_STANDARDS = Path(__file__).parent / "standards"


class ScoringSettings(CommonSettings):
    http_host: str = "127.0.0.1"
    http_port: int = 8081
    standards_path: Path = DEFAULT_STANDARDS
    auto_qa_scorecard: str = "core-qa"
    calibration_tolerance: float = 10.0  # points from the session consensus before flagging
    # The AutoQA trust gate: an automated criterion feeds rules and alerts only while kappa's
    # lower confidence bound >= the bar on at least `min_pairs` of its latest pairs with human
    # evaluations (at most `window_pairs`, within `window_days` of the newest).
    autoqa_gate_kappa_bar: float = 0.6
    autoqa_gate_min_pairs: int = 50
    autoqa_gate_window_pairs: int = 200
    autoqa_gate_window_days: float = 90.0
    autoqa_gate_confidence: float = 0.95
    # Before a criterion has `min_pairs` pairs: unverified (measured before trusted), or
    # trusted (the behaviour before the gate existed, e.g. for a demo with no evaluations yet).
    autoqa_gate_unmeasured: GateState = GateState.UNVERIFIED

    def gate_rule(self) -> GateRule:
        return GateRule(
            kappa_bar=self.autoqa_gate_kappa_bar,
            min_pairs=self.autoqa_gate_min_pairs,
            window_pairs=self.autoqa_gate_window_pairs,
            window_days=self.autoqa_gate_window_days,
            confidence=self.autoqa_gate_confidence,
            unmeasured=self.autoqa_gate_unmeasured,
        )

    autoqa_cache_size: int = 20_000  # sentence vectors kept (1.5 KiB each): agents repeat scripts
