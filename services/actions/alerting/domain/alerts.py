"""Operational alerts: service level and abandonment out of target in a queue's 15-minute
interval, complaint spikes, critical breaches. Pure; the store keeps one open incident per kind
and scope."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from scipy.stats import binom

from contracts.actions import AlertRaised, Scope, ScopeType
from contracts.common import Severity
from contracts.envelope import derived_event_id

# Incidents raised by single events, not intervals: closed after a quiet spell instead.
QUIET_KINDS = ("critical_breach", "complaint_spike")


@dataclass(frozen=True, slots=True)
class QueueInterval:
    queue: str
    interval_start: datetime
    offered: int  # in the service-level denominator (variant applied by scoring)
    within: int
    all_offered: int
    abandoned: int
    sl_target: float | None
    abandonment_target: float | None


def _alert(
    kind: str,
    scope: Scope,
    metric: str,
    observed: float,
    target: float,
    at: datetime,
    severity: Severity,
    message: str,
    team_id: str | None = None,
) -> AlertRaised:
    return AlertRaised(
        alert_id=derived_event_id("alert", kind, scope.type.value, scope.id, at.isoformat()),
        kind=kind,
        group_key=f"{kind}:{scope.type.value}:{scope.id}",
        severity=severity,
        scope=scope,
        metric=metric,
        observed=round(observed, 2),
        target=target,
        interval_start=at,
        message=message,
        raised_at=at,
        team_id=team_id,
    )


def interval_alerts(rows: Sequence[QueueInterval], min_offered: int) -> list[AlertRaised]:
    """Intervals with enough contacts whose service level or abandonment misses target."""
    out = []
    for r in rows:
        scope = Scope(type=ScopeType.QUEUE, id=r.queue)
        if r.sl_target is not None and r.offered >= min_offered:
            sl = 100 * r.within / r.offered
            if sl < r.sl_target:
                out.append(
                    _alert(
                        "service_level",
                        scope,
                        "service_level_pct",
                        sl,
                        r.sl_target,
                        r.interval_start,
                        Severity.HIGH,
                        f"Service level {sl:.0f}% vs target {r.sl_target:.0f}% in "
                        f"queue {r.queue} ({r.within}/{r.offered} in threshold)",
                    )
                )
        if r.abandonment_target is not None and r.all_offered >= min_offered:
            rate = 100 * r.abandoned / r.all_offered
            if rate > r.abandonment_target:
                out.append(
                    _alert(
                        "abandonment",
                        scope,
                        "abandonment_pct",
                        rate,
                        r.abandonment_target,
                        r.interval_start,
                        Severity.HIGH,
                        f"Abandonment {rate:.0f}% vs target "
                        f"{r.abandonment_target:.0f}% in queue {r.queue}",
                    )
                )
    return out


def healthy(r: QueueInterval, min_offered: int) -> set[str]:
    """Kinds this interval shows back within target (they close their open incident)."""
    ok = set()
    if (
        r.sl_target is not None
        and r.offered >= min_offered
        and (100 * r.within / r.offered >= r.sl_target)
    ):
        ok.add("service_level")
    if (
        r.abandonment_target is not None
        and r.all_offered >= min_offered
        and (100 * r.abandoned / r.all_offered <= r.abandonment_target)
    ):
        ok.add("abandonment")
    return ok


def is_spike(count: int, baseline: Sequence[int], confidence: float, min_count: int) -> bool:
    """A day's complaints in a category above what the baseline days' Poisson rate explains.

    The exact conditional test for two Poisson rates: if today had the baseline's rate, today's
    share of all the complaints (today + k baseline days) is Binomial(total, 1/(k+1)). Unlike
    plugging in the baseline mean, it allows for that mean being estimated from a few days, so
    a short, quiet history does not make an ordinary day look like a spike."""
    if count < min_count or len(baseline) < 3:
        return False
    days, total = len(baseline), count + sum(baseline)
    return float(binom.sf(count - 1, total, 1 / (days + 1))) < 1 - confidence


def spike_alert(category: str, day: datetime, count: int, baseline_mean: float) -> AlertRaised:
    return _alert(
        "complaint_spike",
        Scope(type=ScopeType.COMPLAINT_CATEGORY, id=category),
        "complaints_per_day",
        count,
        round(baseline_mean, 2),
        day,
        Severity.HIGH,
        f"{count} '{category}' complaints today vs {baseline_mean:.1f}/day usual",
    )


def critical_alert(agent: str, team: str | None, interaction: str, at: datetime) -> AlertRaised:
    return _alert(
        "critical_breach",
        Scope(type=ScopeType.AGENT, id=agent),
        "critical_fail",
        1,
        0,
        at,
        Severity.CRITICAL,
        f"Critical criterion failed by {agent} on interaction {interaction}",
        team,
    )


def recovered(rows: Sequence[QueueInterval], min_offered: int) -> list[tuple[str, QueueInterval]]:
    """(kind, interval) for each kind an interval shows back within target: it closes the
    queue's open incident of that kind from earlier intervals."""
    return [(kind, r) for r in rows for kind in sorted(healthy(r, min_offered))]
