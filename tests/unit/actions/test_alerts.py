"""Alert rules: interval targets, grouping inputs, Poisson spikes, signatures, backoff."""

from __future__ import annotations

import hashlib
import hmac

import numpy as np

from services.actions.alerting.domain.alerts import (
    QueueInterval,
    healthy,
    interval_alerts,
    is_spike,
)
from services.actions.alerting.domain.delivery import backoff_seconds, signature
from tests.factories import T0


def interval(offered: int, within: int, abandoned: int = 0) -> QueueInterval:
    return QueueInterval("billing", T0, offered, within, offered, abandoned, 80.0, 5.0)


def test_service_level_and_abandonment_out_of_target() -> None:
    alerts = interval_alerts([interval(40, 20, abandoned=6)], min_offered=20)
    assert {a.kind for a in alerts} == {"service_level", "abandonment"}
    sl = next(a for a in alerts if a.kind == "service_level")
    assert sl.observed == 50 and sl.target == 80 and sl.group_key == "service_level:queue:billing"
    assert healthy(interval(40, 36), 20) == {"service_level", "abandonment"}


def test_small_intervals_never_alert() -> None:
    assert interval_alerts([interval(5, 0, abandoned=5)], min_offered=20) == []


def test_a_spike_is_a_pattern_not_one_complaint() -> None:
    baseline = [1, 0, 2, 1, 1, 0, 1]
    assert not is_spike(1, baseline, 0.99, 5)  # a one-off complaint
    assert not is_spike(4, baseline, 0.99, 5)
    assert is_spike(12, baseline, 0.99, 5)
    assert not is_spike(12, [10, 12, 11, 13], 0.99, 5)  # normal for a busy category
    # A short quiet history: 5 today after 1, 2, 1 is not yet evidence of a spike (the
    # baseline mean is too uncertain), though plugging in its mean (1.3/day) would say so.
    assert not is_spike(5, [1, 2, 1], 0.99, 5)
    assert is_spike(16, [1, 2, 1, 2, 1, 1, 2, 1, 3, 1, 2, 1, 1, 2], 0.99, 5)


def test_spike_test_holds_its_false_alarm_rate() -> None:
    # Ordinary days drawn from the baseline's own Poisson rate alarm at most ~1% of the time.
    rng = np.random.default_rng(3)
    alarms = sum(
        is_spike(int(rng.poisson(3)), [int(x) for x in rng.poisson(3, 14)], 0.99, 5)
        for _ in range(4000)
    )
    assert alarms / 4000 <= 0.012


def test_signature_and_backoff() -> None:
    body = b'{"x":1}'
    assert signature(b"k", body) == "sha256=" + hmac.new(b"k", body, hashlib.sha256).hexdigest()
    assert [backoff_seconds(n, 2) for n in (1, 2, 3, 4)] == [2, 4, 8, 16]
    assert backoff_seconds(30, 2, cap=600) == 600
