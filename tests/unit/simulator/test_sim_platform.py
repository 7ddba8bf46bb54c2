"""The ground truth holds against the platform's own pure rules: a simulated day, redacted as
ingest does and scored as scoring does, is replayed in event order through the actions
service's domain code (interval alerts, complaint spike test, window rules with team/agent
attribution). What it raises must be exactly what the ground truth expects — nothing for noise.

An emulation of the services' edges without Kafka or Postgres: batching, cooldowns and
incident grouping are left out, and interval alerts are checked on every running count (the
strictest order: a batch boundary anywhere inside an interval cannot raise a false alarm)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

import pytest

from contracts.inbound import inbound_adapter
from contracts.scores import QaResult
from services.actions.alerting.domain.alerts import QueueInterval, interval_alerts, is_spike
from services.actions.domain.attribution import evaluate_team
from services.actions.domain.observation import Observation
from services.actions.domain.rules import Fixed, Statistical
from services.actions.rules_file import load_rules
from services.actions.settings import DEFAULT_RULES, ActionsSettings
from services.ingest.domain.redact import redact
from services.scoring.domain.autoqa import auto_check
from services.scoring.domain.evaluation import score_evaluation
from services.scoring.domain.operational import score_interaction
from services.scoring.settings import DEFAULT_STANDARDS
from services.scoring.standards_files import load_standards
from simulator.day import simulate
from simulator.detection import Raised, evaluate
from tests.autoqa import encoder

STANDARD = load_standards(DEFAULT_STANDARDS)
CARD = STANDARD.scorecard("core-qa")
RULES = load_rules(DEFAULT_RULES)
SETTINGS = ActionsSettings()
DAY = date(2026, 11, 20)


def _interval(at: datetime) -> datetime:
    return at.replace(minute=at.minute - at.minute % 15, second=0, microsecond=0)


def _criteria(qa: QaResult) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(passed, failed) criteria, as the actions engine reads them."""
    return (
        tuple(c.criterion_id for c in qa.criteria if c.passed is True),
        tuple(c.criterion_id for c in qa.criteria if c.passed is False),
    )


@cache
def raised(seed: int) -> tuple[dict[str, Any], tuple[Raised, ...]]:
    """(ground truth, what the platform's rules raise) for one simulated day."""
    sim = simulate(seed, DAY)
    out: set[Raised] = set()
    counts: dict[tuple[str, datetime], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    obs: dict[str, list[Observation]] = defaultdict(list)
    complaints: Counter[tuple[str, str]] = Counter()
    for e in sim.events:
        d = inbound_adapter.validate_python(e).data
        kind = e["type"].removeprefix("io.qualityloop.")
        if kind == "interaction.completed":
            op = score_interaction(d, STANDARD)
            key = (d.queue, _interval(d.offered_at))
            c = counts[key]
            c[0] += op.counts_as_offered
            c[1] += op.answered_within_threshold and op.counts_as_offered
            c[2] += 1
            c[3] += d.abandoned
            row = QueueInterval(*key, *c, op.sl_target_percent, op.abandonment_target_percent)
            for a in interval_alerts([row], SETTINGS.alert_min_offered):
                out.add(Raised("alert", a.kind, f"queue:{d.queue}", None, key[1].isoformat()))
            if d.agent_id is None:
                continue
            qa = auto_check(redact(d.transcript or ""), CARD, encoder(), d.channel.value)
            if qa is not None:
                if qa.critical_failed:
                    out.add(Raised("action", "coaching", f"agent:{d.agent_id}", "critical-breach"))
                passed, failed = _criteria(qa)
                obs["auto_qa_score"].append(
                    Observation(
                        e["id"],
                        "auto_qa_score",
                        d.agent_id,
                        d.team_id,
                        d.queue,
                        d.ended_at,
                        qa.score,
                        qa.critical_failed,
                        d.interaction_id,
                        passed,
                        failed,
                    )
                )
            if op.resolved_first_contact is not None:
                flags = () if op.resolved_first_contact else ("fcr",)
                obs["fcr"].append(
                    Observation(
                        e["id"],
                        "fcr",
                        d.agent_id,
                        d.team_id,
                        d.queue,
                        d.ended_at,
                        float(op.resolved_first_contact),
                        False,
                        d.interaction_id,
                        failed=flags,
                    )
                )
        elif kind == "survey.responded" and d.agent_id and d.csat is not None:
            flags = () if d.csat >= 4 else ("csat_not_satisfied",)
            obs["csat"].append(
                Observation(
                    e["id"],
                    "csat",
                    d.agent_id,
                    d.team_id,
                    d.queue,
                    d.responded_at,
                    d.csat,
                    False,
                    d.interaction_id or d.response_id,
                    failed=flags,
                )
            )
        elif kind == "evaluation.submitted" and d.calibration_session_id is None:
            qa = score_evaluation(d.answers, CARD)
            passed, failed = _criteria(qa)
            obs["qa_score"].append(
                Observation(
                    e["id"],
                    "qa_score",
                    d.agent_id,
                    d.team_id,
                    None,
                    d.evaluated_at,
                    qa.score,
                    qa.critical_failed,
                    d.interaction_id,
                    passed,
                    failed,
                )
            )
        elif kind == "complaint.raised":
            complaints[(d.category, d.raised_at.date().isoformat())] += 1
    for category in sorted({c for c, _ in complaints}):
        days = [(DAY - timedelta(days=b)).isoformat() for b in range(14, 0, -1)]
        today = complaints[(category, DAY.isoformat())]
        baseline = [complaints[(category, d)] for d in days]
        if is_spike(today, baseline, SETTINGS.spike_confidence, SETTINGS.spike_min_complaints):
            scope = f"complaint_category:{category}"
            out.add(Raised("alert", "complaint_spike", scope))
            out.add(Raised("action", "improvement", scope, "complaint-spike"))
    for rule in RULES.rules:
        histories: dict[str, dict[str, list[Observation]]] = defaultdict(lambda: defaultdict(list))
        for o in sorted(obs[rule.metric], key=lambda o: (o.at, o.event_id)):
            history = histories[o.team_id or ""][o.agent_id]
            history.append(o)
            del history[: -2 * rule.window_last]  # the window and the peers' previous one
            if isinstance(rule.trigger, Statistical):
                for a in evaluate_team(rule, RULES, o.team_id or "", histories[o.team_id or ""]):
                    scope = f"{a.scope.type.value}:{a.scope.id}"
                    out.add(Raised("action", a.kind.value, scope, rule.id))
            elif isinstance(rule.trigger, Fixed) and rule.trigger.below is not None:
                window = history[-rule.window_last :]
                mean = sum(x.value for x in window) / len(window)
                if len(window) >= rule.trigger.min_events and mean < rule.trigger.below:
                    out.add(Raised("action", rule.kind.value, f"agent:{o.agent_id}", rule.id))
    return sim.truth, tuple(sorted(out, key=str))


@pytest.mark.parametrize("seed", [7, 8, 1234])
def test_the_platform_rules_raise_exactly_the_ground_truth(seed: int) -> None:
    truth, found = raised(seed)
    result = evaluate(truth, found)
    assert result.recall == 1.0, result.lines()
    assert not result.noise_hits, result.lines()
    assert not result.false_positives, result.lines()
