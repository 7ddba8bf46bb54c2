"""Transcripts read as conversations: speakers, runs, regions, emails set apart."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from services.scoring.domain.email_parts import parts
from services.scoring.domain.transcript import parse

EMAIL = """Hi Jane,

Thanks for your email, and sorry for the wait.

I've refunded the £20 today.

To recap: refund issued, with you in 3 days.

Kind regards,
Sam
Customer Care | Acme

This email and any attachments are confidential. Our privacy notice explains how we use data.

On Mon, 3 Nov 2025 at 10:02, Jane <[EMAIL]> wrote:
> To recap, I was charged twice.
> Is there anything else you need?"""


def words(text: str, speaker: str, channel: str | None = None) -> list[str]:
    conv = parse(text, channel)
    return [text[t.start : t.end] for t in conv.turns if t.speaker == speaker]


def test_speaker_labels_inline_on_lines_with_time_stamps_and_names() -> None:
    text = "Agent: Hi. Customer: not my problem. Agent: Sorry!"
    assert words(text, "agent") == ["Hi.", "Sorry!"]
    assert words(text, "customer") == ["not my problem."]
    chat = "[10:02] Visitor: hello\n[10:03] Advisor (Priya): Hiya\nADVISOR: how can I help?"
    assert words(chat, "agent") == ["Hiya", "how can I help?"]
    assert words(chat, "customer") == ["hello"]
    assert words("no labels at all, the agent's text", "agent") == [
        "no labels at all, the agent's text"
    ]
    assert words("Preamble. Agent: Hi", "other") == ["Preamble."]


def test_chat_short_turns_make_one_run_and_the_regions_follow_the_agent() -> None:
    chat = (
        "Customer: hi\nAgent: Hi!\nAgent: Nadia here\nAgent: what can I help with?\n"
        "Customer: my order is late\nAgent: I've re-sent it.\nCustomer: thanks\n"
        "Agent: quick recap: re-sent today\nAgent: anything else?\nCustomer: no\nAgent: bye"
    )
    conv = parse(chat, "chat")
    assert len(conv.runs) == 4
    assert [u.text for u in conv.region("opening") if not u.clause] == [
        "Hi!",
        "Nadia here",
        "what can I help with?",
    ]
    closing = [u.text for u in conv.region("closing") if not u.clause]
    assert closing == ["quick recap: re-sent today", "anything else?", "bye"]
    assert "quick recap" in [u.text for u in conv.region("closing") if u.clause]


def test_one_run_splits_into_opening_and_closing() -> None:
    text = "Hello. A. B. C. D. E. Anything else?"
    conv = parse(text)
    assert [u.text for u in conv.region("opening")] == ["Hello.", "A.", "B.", "C."]
    assert [u.text for u in conv.region("closing")] == ["D.", "E.", "Anything else?"]


def test_email_quoted_reply_signature_and_footer_are_set_apart() -> None:
    conv = parse("Agent: " + EMAIL, "email")
    kinds = [(t.speaker, t.part) for t in conv.turns]
    assert ("other", "signature") in kinds and ("customer", "quoted") in kinds
    agent = " ".join(u.text for u in conv.utterances)
    assert "privacy notice" not in agent and "charged twice" not in agent
    assert [u.text for u in conv.region("opening") if not u.clause] == ["Hi Jane,"]
    closing = [u.text for u in conv.region("closing") if not u.clause]
    assert closing == [
        "I've refunded the £20 today.",
        "To recap: refund issued, with you in 3 days.",
    ]


def test_a_footer_without_sign_off_and_a_one_paragraph_reply() -> None:
    text = "Hello\n\nYour order shipped.\n\nThis email and any attachments are confidential."
    assert [p for p, _, _ in parts(text, 0, len(text))] == ["body", "footer"]
    one = "Our privacy notice explains how we keep and use your details."
    assert [p for p, _, _ in parts(one, 0, len(one))] == ["body"]


@given(st.text(max_size=300))
def test_spans_always_slice_the_text(text: str) -> None:
    conv = parse(text, "email")
    for u in conv.utterances:
        assert text[u.start : u.end] == u.text and u.text.strip()
    for where in ("opening", "closing", "anywhere"):
        assert set(conv.rows(where)) <= set(range(len(conv.utterances)))
