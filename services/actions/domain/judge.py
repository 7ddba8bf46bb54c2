"""One window's verdict: a fixed threshold on the mean, or a statistical pattern (Wilson
interval above `max_rate`, or above the p-chart limit of the scope's own baseline). One bad
evaluation moves neither: a pattern does. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from contracts.actions import TriggerKind
from services.actions.domain.observation import Observation
from services.actions.domain.rules import Failure, Fixed, Rule, Statistical
from services.actions.domain.stats import p_chart, wilson


def failed(o: Observation, f: Failure) -> bool:
    if f.criterion is not None:
        return f.criterion in o.failed
    if f.score_below is not None:
        return o.value < f.score_below
    return o.critical_failed


@dataclass(frozen=True, slots=True)
class Verdict:
    breached: bool
    failures: int
    n: int
    detail: str

    @property
    def rate(self) -> float:
        return self.failures / self.n if self.n else 0.0


def judge(rule: Rule, history: Sequence[Observation]) -> Verdict:
    """Judge the last `window_last` observations (oldest first); earlier ones are baseline."""
    window, baseline = rule.window(list(history))
    t = rule.trigger
    if isinstance(t, Fixed):
        n = len(window)
        mean = sum(o.value for o in window) / n if n else 0.0
        hit = n >= t.min_events and (
            (t.below is not None and mean < t.below) or (t.above is not None and mean > t.above)
        )
        return Verdict(
            hit,
            sum(1 for o in window if t.below is not None and o.value < t.below),
            n,
            f"mean {mean:.1f} over {n}",
        )
    if not isinstance(t, Statistical):
        return Verdict(False, 0, len(window), "not a window rule")
    assert rule.failure is not None
    x, n = sum(failed(o, rule.failure) for o in window), len(window)
    if n < t.min_events:
        return Verdict(False, x, n, f"{n} events, fewer than {t.min_events}")
    if t.method == "wilson":
        low, high = wilson(x, n, t.confidence)
        return Verdict(
            low > t.max_rate,
            x,
            n,
            f"{x}/{n} failed; {round(t.confidence * 100)}% interval "
            f"{low:.2f}-{high:.2f} vs target {t.max_rate:.2f}",
        )
    if len(baseline) < t.min_baseline:
        return Verdict(False, x, n, f"baseline of {len(baseline)} too small")
    base_rate = sum(failed(o, rule.failure) for o in baseline) / len(baseline)
    limits = p_chart(base_rate, n, t.sigmas)
    return Verdict(
        x / n > limits.upper,
        x,
        n,
        f"{x}/{n} failed vs baseline {base_rate:.2f} (UCL {limits.upper:.2f})",
    )


def min_events(rule: Rule) -> int:
    t = rule.trigger
    return t.min_events if isinstance(t, Fixed | Statistical) else 1


def threshold(rule: Rule) -> float:
    t = rule.trigger
    if isinstance(t, Statistical):
        return t.max_rate
    if isinstance(t, Fixed):
        return t.below if t.below is not None else (t.above or 0.0)
    return 0.0


def trigger_kind(rule: Rule) -> TriggerKind:
    return TriggerKind.STATISTICAL if isinstance(rule.trigger, Statistical) else TriggerKind.FIXED


def label(rule: Rule) -> str:
    f = rule.failure
    if f is not None and f.criterion:
        return f"criterion {f.criterion}"
    return rule.metric
