"""What a batch of scored events means for monitoring plans: candidates from interactions and
linked complaints, completions and human answers from evaluations that count (calibration
ones don't), automated answers without N/A — named, typed, in event order."""

from __future__ import annotations

from typing import Any

from contracts.envelope import CloudEvent
from contracts.inbound import inbound_adapter
from contracts.scores import AssignmentReason
from services.ingest.domain.canonicalise import canonicalise
from services.ingest.domain.pseudonymise import Pseudonymiser
from services.scoring.domain.monitoring import Plan
from services.scoring.domain.monitoring_updates import Completion, monitoring_updates
from services.scoring.pipeline import Scorer
from services.scoring.settings import DEFAULT_STANDARDS
from services.scoring.standards_files import load_standards
from tests import factories as f
from tests.autoqa import encoder

SCORER = Scorer(load_standards(DEFAULT_STANDARDS), "core-qa", embed=encoder())
PLAN = Plan(id="p", sample_rate=1.0)  # every covered interaction is drawn
ANSWERS = {"greeting": "yes", "identity-verification": "yes"}  # the rest N/A
TRANSCRIPT = "Good morning, thank you for calling. To summarise, I have fixed your bill."


def scored(raw: dict[str, Any]) -> CloudEvent[Any]:
    inbound = inbound_adapter.validate_python(raw)
    event = SCORER.score(canonicalise(inbound, "/test", Pseudonymiser("k", b"secret")))
    assert event is not None
    return event


def test_interaction_is_a_candidate_with_its_automated_answers() -> None:
    event = scored(f.interaction(interaction_id="i-1", agent="a1", transcript=TRANSCRIPT))
    updates = monitoring_updates([PLAN], [event], SCORER.automated_criteria)
    assert [(c.plan_id, c.interaction_id, c.agent_id) for c in updates.candidates] == [
        ("p", "i-1", "a1")
    ]
    assert updates.auto_answers, "the transcript was checked automatically"
    assert {a.interaction_id for a in updates.auto_answers} == {"i-1"}
    assert all(a.answer != "na" and a.evaluation_id is None for a in updates.auto_answers)
    assert updates.completions == () and updates.human_answers == ()


def test_linked_complaint_is_a_risk_candidate_and_unlinked_is_not() -> None:
    linked = f.complaint()
    linked["data"] |= {"interaction_id": "i-2", "agent_id": "a2", "team_id": "team-a"}
    updates = monitoring_updates(
        [PLAN], [scored(linked), scored(f.complaint())], SCORER.automated_criteria
    )
    assert [(c.interaction_id, c.reason) for c in updates.candidates] == [
        ("i-2", AssignmentReason.COMPLAINT_LINKED)
    ]


def test_evaluation_completes_and_gives_human_answers_to_automated_criteria_only() -> None:
    answers = ANSWERS | {"summary": "no", "understood-need": "yes", "empathy": "na"}
    raw = f.evaluation(interaction_id="i-3", answers=answers)
    event = scored(raw)
    updates = monitoring_updates([PLAN], [event], SCORER.automated_criteria)
    data = raw["data"]
    assert updates.completions == (
        Completion("i-3", data["evaluation_id"], event.data.evaluated_at),
    )
    assert {(a.criterion_id, a.answer, a.evaluation_id) for a in updates.human_answers} == {
        ("greeting", "yes", data["evaluation_id"]),
        ("identity-verification", "yes", data["evaluation_id"]),
        ("summary", "no", data["evaluation_id"]),
    }  # understood-need has no automated check; N/A is no answer
    assert updates.candidates == () and updates.auto_answers == ()


def test_calibration_evaluations_and_other_events_change_nothing() -> None:
    calibration = scored(f.evaluation(interaction_id="i-4", answers=ANSWERS, calibration="s-1"))
    survey = scored(f.survey())
    updates = monitoring_updates([PLAN], [calibration, survey], SCORER.automated_criteria)
    assert not updates and updates.completions == ()
    assert not monitoring_updates([PLAN], [], SCORER.automated_criteria)


def test_plans_that_do_not_cover_the_channel_pick_nothing() -> None:
    chat_only = PLAN.model_copy(update={"channels": ("chat",)})
    event = scored(f.interaction(interaction_id="i-5", transcript=TRANSCRIPT))
    updates = monitoring_updates([chat_only], [event], SCORER.automated_criteria)
    assert updates.candidates == () and updates.auto_answers  # answers are kept regardless
    assert updates  # something to record
