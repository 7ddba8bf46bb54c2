"""Scored interactions under the AutoQA trust gate: automated QA results from explicit answers
on the shipped scorecard (independent of how the detectors answer), marked verified or not
as scoring's `stamp` marks them; the scorecard with N/A allowed everywhere, to rescore with
unverified answers left out; gate changes as scoring's gate makes them, and records of them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from aiokafka import ConsumerRecord

from contracts.envelope import CloudEvent
from contracts.evaluations import CriterionAnswer
from contracts.events import AutoQaGateChangedEvent, InteractionScoredEvent
from contracts.gates import GateRule, GateState
from contracts.scores import QaResult
from services.scoring.domain.agreement import Pair
from services.scoring.domain.evaluation import score_evaluation
from services.scoring.domain.gate import Gate, decide, stamp
from services.scoring.domain.standards import Scorecard
from services.scoring.pipeline import Scorer
from services.scoring.settings import DEFAULT_STANDARDS
from services.scoring.standards_files import load_standards
from tests.factories import T0
from tests.fakes_actions import interaction_scored

SCORER = Scorer(load_standards(DEFAULT_STANDARDS), "core-qa")
SCORECARD = SCORER.standard.scorecard("core-qa")
AUTOMATED = sorted(SCORER.automated_criteria)
RULE = GateRule(
    kappa_bar=0.6,
    min_pairs=20,
    window_pairs=30,
    window_days=90,
    confidence=0.95,
    unmeasured=GateState.UNVERIFIED,
)
ALL_MET = dict.fromkeys(AUTOMATED, "yes")


def na_allowed(scorecard: Scorecard = SCORECARD) -> Scorecard:
    """The scorecard with N/A allowed everywhere (its content otherwise unchanged)."""
    sections = tuple(
        s.model_copy(
            update={
                "criteria": tuple(c.model_copy(update={"na_allowed": True}) for c in s.criteria)
            }
        )
        for s in scorecard.sections
    )
    return scorecard.model_copy(update={"sections": sections})


def auto_qa(answers: Mapping[str, Any], scorecard: Scorecard | None = None) -> QaResult:
    """An automated result from `answers` (the rest N/A)."""
    given = [CriterionAnswer(criterion_id=c, answer=a) for c, a in answers.items()]
    return score_evaluation(given, scorecard or na_allowed(), automated=True)


def gated_interaction(
    answers: Mapping[str, Any] = ALL_MET,
    states: Mapping[str, GateState] | None = None,
    unmeasured: GateState = GateState.UNVERIFIED,
    **interaction: Any,
) -> InteractionScoredEvent:
    """A scored interaction with this automated result, stamped by `states` (None: as
    scored before the gate existed, no `verified` marks)."""
    event = interaction_scored(**interaction)
    data = event.data.model_copy(update={"auto_qa": auto_qa(answers)})
    event = event.model_copy(update={"data": data})
    if states is None:
        return event
    stamped = stamp(event, states, unmeasured)
    assert isinstance(stamped, InteractionScoredEvent)
    return stamped


def gate_change(
    criterion: str, kinds: str, previous: Gate | None = None, start: int = 0
) -> AutoQaGateChangedEvent:
    """The change scoring's gate makes from `previous` on pairs of `kinds` (`a` both pass,
    `b` both fail, `f` false fail, `p` false pass), one minute apart from `start`."""
    cell = {"a": ("yes", "yes"), "b": ("no", "no"), "p": ("yes", "no"), "f": ("no", "yes")}
    pairs = [
        Pair(*cell[k], T0 + timedelta(minutes=start + i))  # type: ignore[misc]
        for i, k in enumerate(kinds)
    ]
    held = {criterion: previous} if previous else {}
    (update,) = decide({criterion: pairs}, held, RULE, "core-qa", "/qualityloop/scoring")
    assert update.changed is not None, "these pairs change nothing"
    return update.changed


def record_of(event: CloudEvent[Any], topic: str, offset: int) -> ConsumerRecord[Any, Any]:
    """A consumer record carrying `event` as scoring publishes it."""
    key = (event.subject or event.id).encode()
    return ConsumerRecord(
        topic, 0, offset, 0, 0, key, event.model_dump_json().encode(), None, 0, 0, []
    )
