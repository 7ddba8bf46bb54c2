"""Every behaviour a simulated transcript shows (or misses) is what the real AutoQA finds, on
every channel's wording, after ingest's redaction."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from services.ingest.domain.redact import redact
from services.scoring.domain.autoqa import auto_check
from services.scoring.settings import DEFAULT_STANDARDS
from services.scoring.standards_files import load_standards
from simulator.model import BEHAVIOURS
from simulator.transcripts import transcript
from tests.autoqa import encoder

CARD = load_standards(DEFAULT_STANDARDS).scorecard("core-qa")


@settings(max_examples=300, deadline=None)
@given(
    shows=st.fixed_dictionaries({b: st.booleans() for b in BEHAVIOURS}),
    resolved=st.booleans(),
    channel=st.sampled_from(["voice", "chat", "email"]),
    queue=st.sampled_from(["billing", "support", "chat", "email"]),
    seed=st.integers(0, 10_000),
)
def test_autoqa_finds_exactly_what_the_agent_did(
    shows: dict[str, bool], resolved: bool, channel: str, queue: str, seed: int
) -> None:
    text = transcript(random.Random(seed), queue, "Sam", shows, resolved, channel)
    result = auto_check(redact(text), CARD, encoder(), channel)  # what ingest let through
    assert result is not None
    got = {c.criterion_id: c.answer for c in result.criteria}
    for b in BEHAVIOURS:
        want = shows[b] and (b != "resolution-or-next-steps" or resolved)
        assert got[b] == ("yes" if want else "no"), (b, text)
    assert got["no-prohibited-language"] == "yes"
