"""Rule engine: immediate critical breaches, fixed thresholds over windows, balanced content."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from contracts.actions import ActionKind, TriggerKind
from services.actions.domain.coaching import immediate, windowed
from services.actions.domain.observation import Observation
from services.actions.domain.rules import RulesError
from services.actions.rules_file import load_rules
from services.actions.settings import DEFAULT_RULES
from tests.factories import T0

RULES = load_rules(DEFAULT_RULES)
WINDOW_RULE = next(r for r in RULES.rules if r.id == "agent-qa-below-target")


def obs(
    n: int,
    value: float,
    metric: str = "qa_score",
    critical: bool = False,
    failed: tuple[str, ...] = ("summary",),
    passed: tuple[str, ...] = ("greeting",),
) -> Observation:
    return Observation(
        f"e{n}",
        metric,
        "agent-7",
        "team-a",
        "billing",
        T0 + timedelta(hours=n),
        value,
        critical,
        f"int-{n}",
        passed,
        failed,
    )


def test_critical_failure_raises_one_immediate_coaching_action() -> None:
    actions = immediate(
        RULES, [obs(1, 0, "auto_qa_score", critical=True), obs(2, 90, "auto_qa_score")]
    )
    assert len(actions) == 1
    a = actions[0]
    assert a.kind is ActionKind.COACHING and a.trigger is TriggerKind.IMMEDIATE
    assert a.scope.id == "agent-7" and a.evidence == ("int-1",)
    assert a.rule_version == RULES.version and a.owner == "team-leader:team-a"


def test_action_id_is_deterministic_for_redelivery() -> None:
    o = obs(1, 0, "auto_qa_score", critical=True)
    assert immediate(RULES, [o])[0].action_id == immediate(RULES, [o])[0].action_id


def test_one_bad_evaluation_does_not_trigger_window_rule() -> None:
    window = [obs(n, 95) for n in range(4)] + [obs(5, 20)]
    assert windowed(WINDOW_RULE, RULES, window) is None


def test_too_few_events_never_trigger() -> None:
    assert windowed(WINDOW_RULE, RULES, [obs(1, 10), obs(2, 10)]) is None


def test_sustained_low_scores_raise_balanced_coaching() -> None:
    window = [obs(n, 60) for n in range(10)]
    action = windowed(WINDOW_RULE, RULES, window)
    assert action is not None
    assert action.trigger is TriggerKind.FIXED and action.observed == 60
    assert action.areas_to_improve and action.areas_to_improve[0].startswith("summary")
    assert action.strengths and action.strengths[0].startswith("greeting")
    assert len(action.evidence) == 10 and action.due_at > action.raised_at


def test_rules_file_errors_name_file_and_path(tmp_path: Path) -> None:
    bad = tmp_path / "rules.yaml"
    bad.write_text(
        "rules:\n  - id: x\n    kind: coaching\n    scope: agent\n"
        "    metric: qa_score\n    trigger: {type: fixed, below: 'low'}\n"
    )
    with pytest.raises(RulesError) as info:
        load_rules(bad)
    assert str(bad) in str(info.value) and "rules.0.trigger" in str(info.value)


def test_rules_version_changes_with_content(tmp_path: Path) -> None:
    text = DEFAULT_RULES.read_text()
    changed = tmp_path / "r.yaml"
    changed.write_text(text.replace("below: 80", "below: 75"))
    assert load_rules(changed).version != RULES.version
    same = tmp_path / "s.yaml"
    same.write_text("# comment only\n" + text)
    assert load_rules(same).version == RULES.version
    assert replace(obs(1, 1), value=2).value == 2


def test_operational_and_survey_streams_carry_failure_flags() -> None:
    from contracts.events import SurveyScoredEvent
    from contracts.inbound import inbound_adapter
    from contracts.scores import NpsCategory, SurveyScored
    from contracts.surveys import SurveyResponded
    from services.actions.domain.observation import observe
    from tests import factories as f
    from tests.scored_events import scored_event

    interaction = scored_event(f.interaction(fcr=False))
    streams = {o.metric: o for o in observe(interaction)}
    assert streams["fcr"].failed == ("fcr",) and streams["aht"].failed == ()
    raw = f.survey(csat=2, nps=3)
    survey = SurveyResponded.model_validate(
        inbound_adapter.validate_python(raw).data.model_dump() | {"customer": None}
    )
    event = SurveyScoredEvent(
        id="s1",
        source="/t",
        time=f.T0,
        data=SurveyScored(
            source_event_id="x",
            standard_version="s",
            survey=survey,
            csat_top2=False,
            nps_category=NpsCategory.DETRACTOR,
        ),
    )
    by_metric = {o.metric: o for o in observe(event)}
    assert by_metric["csat"].failed == ("csat_not_satisfied",)
    assert by_metric["nps"].failed == ("nps_detractor",) and by_metric["nps"].value == 3
