"""AutoQA evidence and operational results against the default standard."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.inbound import inbound_adapter
from contracts.interactions import InteractionCompleted
from services.scoring.domain.autoqa import auto_check
from services.scoring.domain.operational import score_interaction
from services.scoring.domain.survey import csat_top2, nps, nps_category
from services.scoring.standards_files import load_standards
from tests import factories as f
from tests.autoqa import LEXICAL, encoder

STANDARD = load_standards(Path(__file__).parents[3] / "services" / "scoring" / "standards")
CORE = STANDARD.scorecard("core-qa")
GOOD = (
    "Agent: Good morning, thank you for calling. Can I confirm your date of birth please? "
    "This call may be recorded for quality purposes. I'm sorry about the bill. I've corrected "
    "it and I'll make sure it's right. To summarise, the credit shows in 2 days. "
    "Is there anything else I can help with?"
)


def test_every_answer_carries_evidence_that_slices_the_transcript() -> None:
    result = auto_check(GOOD, CORE, encoder())
    assert result is not None and result.automated and not result.critical_failed
    answered = [c for c in result.criteria if c.answer != "na"]
    assert answered and all(c.automated and c.evidence for c in answered)
    for c in answered:
        ev = c.evidence[0]
        assert ev.engine in ("semantic", "absent")
        if ev.start is not None:
            assert GOOD[ev.start : ev.end] == ev.text
            assert ev.turn == 0  # the agent's one turn
        if ev.engine == "semantic":
            assert ev.score is not None and ev.threshold is not None and ev.model
            assert (ev.score >= ev.threshold) == (c.answer == "yes")
    assert result.score > 90


def test_missing_identity_check_is_a_critical_failure_with_the_rule_as_evidence() -> None:
    result = auto_check(
        GOOD.replace("Can I confirm your date of birth please? ", ""), CORE, encoder()
    )
    assert result is not None and result.score == 0 and result.critical_failed
    idv = next(c for c in result.criteria if c.criterion_id == "identity-verification")
    ev = idv.evidence[0]
    assert idv.answer == "no" and "no agent utterance reached" in (ev.rule or "")
    assert ev.score is not None and ev.threshold is not None and ev.score < ev.threshold


def test_prohibited_phrase_fails_with_the_offending_span() -> None:
    text = GOOD + " Honestly, calm down."
    result = auto_check(text, CORE, encoder())
    assert result is not None
    c = next(c for c in result.criteria if c.criterion_id == "no-prohibited-language")
    assert c.answer == "no" and c.evidence[0].text == "calm down"
    soft = next(s for s in result.sections if s.section_id == "soft-skills")
    assert soft.score == 0 and soft.critical_failed


def test_positional_rules() -> None:
    """The older raw positions still hold for lexical detectors (first N characters)."""
    late_greeting = "x " * 200 + GOOD
    result = auto_check(late_greeting, LEXICAL)
    assert result is not None
    greeting = next(c for c in result.criteria if c.criterion_id == "greeting")
    assert greeting.answer == "no" and "first 250" in (greeting.evidence[0].rule or "")


def test_the_opening_is_the_agents_not_the_first_characters() -> None:
    """A customer's long first message no longer pushes the agent's greeting out; a greeting
    the agent only gives late in the conversation is not an opening."""
    text = "Customer: " + "my order is late and " * 20 + "Agent: Hi! Sam here. Order number?"
    greeting = _answer(text, "greeting")
    assert greeting.answer == "yes" and greeting.evidence[0].text == "Hi!"
    assert greeting.evidence[0].turn == 1
    late = "Agent: Let me check. Customer: ok. Agent: Hello there, so it's the bill."
    greeting = _answer(late, "greeting")
    assert greeting.answer == "no" and "in the opening" in (greeting.evidence[0].rule or "")


def _answer(text: str, criterion: str):  # type: ignore[no-untyped-def]
    result = auto_check(text, CORE, encoder())
    assert result is not None
    return next(c for c in result.criteria if c.criterion_id == criterion)


@settings(deadline=None)  # random text misses the encoder's cache: every utterance is encoded
@given(st.text(max_size=400))
def test_any_text_scores_within_bounds(text: str) -> None:
    result = auto_check(text or "x", CORE, encoder())
    assert result is None or 0 <= result.score <= 100


def interaction(**kw: object) -> InteractionCompleted:
    raw = f.interaction(**kw)  # type: ignore[arg-type]
    return InteractionCompleted.model_validate(
        inbound_adapter.validate_python(raw).data.model_dump() | {"customer": None}
    )


def test_service_level_variants_and_aht_bands() -> None:
    fast = score_interaction(interaction(wait=20), STANDARD)
    assert fast.answered_within_threshold and fast.counts_as_offered and fast.aht_band == "normal"
    slow = score_interaction(interaction(wait=21), STANDARD)
    assert not slow.answered_within_threshold
    short_abandon = score_interaction(interaction(wait=4, abandoned=True), STANDARD)
    assert not short_abandon.counts_as_offered and short_abandon.aht_band is None
    long_abandon = score_interaction(interaction(wait=40, abandoned=True), STANDARD)
    assert long_abandon.counts_as_offered and not long_abandon.answered_within_threshold
    chat = score_interaction(interaction(channel="chat", wait=4, abandoned=True), STANDARD)
    assert chat.counts_as_offered  # the chat target counts every offered contact
    long_call = score_interaction(interaction(talk=1200), STANDARD)
    assert long_call.aht_band == "long" and long_call.handle_seconds == 1200 + 30 + 45


def test_survey_measures() -> None:
    assert [csat_top2(v) for v in (None, 1, 3, 4, 5)] == [None, False, False, True, True]
    assert [nps_category(v) for v in (0, 6, 7, 8, 9, 10)] == [
        "detractor",
        "detractor",
        "passive",
        "passive",
        "promoter",
        "promoter",
    ]
    assert nps([10, 9, 8, 0]) == 25.0


WORDS = [
    "good",
    "morning",
    "i'm",
    "sorry",
    "anything",
    "else",
    "calm",
    "down",
    "hello",
    "x",
    "thank",
    "you",
    "for",
    "calling",
    "goodbye",
    "sorrys",
    "unsorry",
    "Anything",
]


@given(st.lists(st.sampled_from(WORDS), max_size=60))
def test_fast_phrase_search_answers_like_the_regex(words: list[str]) -> None:
    """The str.find path for phrase detectors must agree with the regex it replaces."""
    from services.scoring.domain.lexical import _compiled, check

    text = " ".join(words) or "x"
    for cid, detector, rx in _compiled(LEXICAL):
        fast = check(cid, detector, rx, text, text.lower())
        slow = check(cid, detector, rx, text, None)
        assert fast == slow, (cid, text)
