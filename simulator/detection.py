"""Scoring the platform against the ground truth: which injected problems it found with the
right kind and scope, what it raised that nobody injected, precision and recall. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Raised:
    """An action or an alert as reporting shows it."""

    what: str  # "action" or "alert"
    kind: str  # coaching / improvement, or the alert kind
    scope: str  # "<scope type>:<scope id>"
    rule_id: str | None = None
    interval_start: str | None = None

    def __str__(self) -> str:
        rule = f" ({self.rule_id})" if self.rule_id else ""
        return f"{self.what} {self.kind} {self.scope}{rule}"


@dataclass
class Detection:
    found: dict[str, bool] = field(default_factory=dict)  # per expected item
    true_positives: list[Raised] = field(default_factory=list)
    false_positives: list[Raised] = field(default_factory=list)
    noise_hits: list[Raised] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return sum(self.found.values()) / len(self.found) if self.found else 1.0

    @property
    def precision(self) -> float:
        raised = len(self.true_positives) + len(self.false_positives)
        return len(self.true_positives) / raised if raised else 1.0

    def lines(self) -> list[str]:
        out = [f"  {'found ' if ok else 'MISSED'}  {name}" for name, ok in self.found.items()]
        out += [f"  false positive: {r}" for r in self.false_positives]
        out.append(
            f"  recall {self.recall:.2f} ({sum(self.found.values())}/{len(self.found)}), "
            f"precision {self.precision:.2f} ({len(self.true_positives)}/"
            f"{len(self.true_positives) + len(self.false_positives)})"
        )
        return out


def matches(r: Raised, want: Mapping[str, Any]) -> bool:
    if "action" in want:
        if r.what != "action" or r.kind != want["action"] or r.scope != want["scope"]:
            return False
        return want.get("rule_id") in (None, r.rule_id)
    if r.what != "alert" or r.kind != want["alert"] or r.scope != want["scope"]:
        return False
    return not want.get("intervals") or r.interval_start in want["intervals"]


def evaluate(truth: Mapping[str, Any], raised: Iterable[Raised]) -> Detection:
    raised = list(raised)
    d = Detection()
    accepted: list[Mapping[str, Any]] = []
    noise: set[str] = set()
    for scenario in truth["scenarios"]:
        for n, want in enumerate(scenario["expect"]):
            label = f"{scenario['id']}: {want.get('action') or want.get('alert')} {want['scope']}"
            d.found[label if n == 0 else f"{label} [{n}]"] = any(matches(r, want) for r in raised)
            accepted.append(want)
        accepted += scenario.get("also_accept", [])
        noise |= set(scenario.get("must_not_raise_for", []))
    for r in raised:
        if any(matches(r, want) for want in accepted):
            d.true_positives.append(r)
        else:
            d.false_positives.append(r)
            if r.scope in noise:
                d.noise_hits.append(r)
    return d


def from_reporting(
    actions: Iterable[Mapping[str, Any]], alerts: Iterable[Mapping[str, Any]]
) -> list[Raised]:
    """Rows of reporting's `/v1/actions` and `/v1/alerts` (or its tables) as `Raised`."""
    out = [
        Raised("action", a["kind"], f"{a['scope_type']}:{a['scope_id']}", a.get("rule_id"))
        for a in actions
    ]
    for a in alerts:
        start = a.get("interval_start")
        if isinstance(start, str):
            start = datetime.fromisoformat(start.replace("Z", "+00:00"))
        iso = start.isoformat() if start is not None else None
        out.append(Raised("alert", a["kind"], f"{a['scope_type']}:{a['scope_id']}", None, iso))
    return out
