"""AutoQA reads meaning: the natural wordings the exact-phrase detectors missed (issue 13),
only the agent's words, applicability per interaction, and evidence on every answer."""

from __future__ import annotations

import pytest

from contracts.scores import CriterionResult
from services.scoring.domain.autoqa import auto_check
from services.scoring.settings import DEFAULT_STANDARDS
from services.scoring.standards_files import load_standards
from tests.autoqa import encoder

CORE = load_standards(DEFAULT_STANDARDS).scorecard("core-qa")
OPENING = "Agent: {said} Customer: It's about my bill. Agent: Let me look. Customer: ok."
CLOSING = (
    "Agent: Hello. Customer: It's about my bill. Agent: Let me look. Customer: ok. "
    "Agent: {said} Customer: no. Agent: Bye."
)


def call(criterion: str, said: str) -> str:
    return (OPENING if criterion == "greeting" else CLOSING).format(said=said)


def answer(text: str, criterion: str, channel: str = "voice") -> CriterionResult:
    result = auto_check(text, CORE, encoder(), channel)
    assert result is not None
    return next(c for c in result.criteria if c.criterion_id == criterion)


@pytest.mark.parametrize(
    ("criterion", "said"),
    [
        ("greeting", "Hi"),
        ("greeting", "Morning!"),
        ("greeting", "Hiya, how can I help?"),
        ("identity-verification", "Can I take your date of birth?"),
        ("empathy", "I'm so sorry to hear that."),
        ("empathy", "I completely understand."),
        ("summary", "To recap, the refund goes out today."),
        ("summary", "In summary, your engineer is booked."),
        ("summary", "So just to confirm, the credit is on your account."),
        ("anything-else", "Anything further I can do?"),
    ],
)
def test_natural_wording_is_recognised(criterion: str, said: str) -> None:
    c = answer(call(criterion, said), criterion)
    assert c.answer == "yes", c.evidence


@pytest.mark.parametrize(
    ("criterion", "said"),
    [
        ("identity-verification", "Can I take an email address to send the receipt to?"),
        ("empathy", "Sorry, could you repeat that?"),
        ("summary", "So just to confirm, is your address still the same?"),
        ("greeting", "Account number?"),
    ],
)
def test_near_misses_are_not(criterion: str, said: str) -> None:
    assert answer(call(criterion, said), criterion).answer == "no"


def test_the_customers_words_are_not_the_agents() -> None:
    text = (
        "Customer: Good morning! It's not my problem you lot can't deliver, calm down my foot. "
        "Agent: Order number? Customer: 4471. Agent: Right."
    )
    assert answer(text, "greeting").answer == "no"
    assert answer(text, "no-prohibited-language").answer == "yes"
    rude = "Customer: Hello. Agent: Not my problem, calm down."
    assert answer(rude, "no-prohibited-language").answer == "no"


def test_identity_check_is_na_when_no_account_is_touched() -> None:
    hours = "Customer: What time do you open on Sunday? Agent: Ten till four. Anything else?"
    c = answer(hours, "identity-verification")
    assert c.answer == "na" and "not applicable" in (c.evidence[0].rule or "")
    result = auto_check(hours, CORE, encoder(), "voice")
    assert result is not None and not result.critical_failed
    bill = "Customer: My bill is wrong. Agent: Let me look. Anything else?"
    assert answer(bill, "identity-verification").answer == "no"


def test_email_summary_behind_a_signature_and_footer_is_found() -> None:
    body = "Hi Jane,\n\nI've refunded the charge.\n\nTo recap, the refund is with you in 3 days."
    footer = "\n\nKind regards,\nSam\n\n" + "This email is confidential. " * 30
    c = answer("Agent: " + body + footer, "summary", "email")
    assert c.answer == "yes" and c.evidence[0].text == "To recap"


def test_every_semantic_answer_names_its_evidence_score_threshold_and_model() -> None:
    text = CLOSING.format(said="I'm so sorry to hear that. Anything else?")
    result = auto_check(text, CORE, encoder(), "voice")
    assert result is not None
    for c in result.criteria:
        if not c.automated or not c.evidence or c.answer == "na":
            continue
        ev = c.evidence[0]
        assert ev.engine in ("semantic", "absent")
        if ev.engine == "semantic":
            assert ev.model and ev.model.startswith("all-MiniLM-L6-v2@")
            assert ev.threshold is not None and ev.score is not None
            assert ev.turn is not None and text[ev.start : ev.end] == ev.text


def test_semantic_detectors_need_an_encoder() -> None:
    with pytest.raises(ValueError, match="encoder"):
        auto_check("Agent: Hi", CORE)
