"""Every behaviour a simulated transcript shows (or misses) is what the real AutoQA finds, on
every channel's wording, after ingest's redaction."""

from __future__ import annotations

import random

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.autoqa.corpus import CORPUS
from services.ingest.domain.redact import redact
from services.scoring.domain.autoqa import auto_check
from services.scoring.settings import DEFAULT_STANDARDS
from services.scoring.standards_files import load_standards
from simulator import natural
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


NATURAL_POOLS = (
    natural.GREETING,
    natural.RECORDING,
    natural.IDENTITY,
    natural.EMPATHY,
    natural.RESOLUTION,
    natural.OWNERSHIP,
    natural.SUMMARY,
    natural.ANYTHING_ELSE,
)


def _lines(pool: object) -> list[str]:
    if isinstance(pool, dict):
        return [line for lines in pool.values() for line in lines]
    return list(pool)  # type: ignore[call-overload]


def _norm(text: str) -> str:
    return " ".join("".join(ch for ch in text.lower() if ch.isalnum() or ch.isspace()).split())


def _corpus_lines(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [line for v in node.values() for line in _corpus_lines(v)]
    if isinstance(node, list):
        return [line for v in node for line in _corpus_lines(v)]
    return []


def test_natural_wording_is_kept_apart_from_exemplars_and_the_benchmark() -> None:
    """The natural mode must measure AutoQA on words it was not tuned on: none of its lines
    is an exemplar, a counter-exemplar or an utterance of the benchmark's corpus."""
    taken = {
        _norm(e)
        for s in CARD.sections
        for c in s.criteria
        if c.detector
        for e in (*c.detector.exemplars, *c.detector.counter_exemplars)
    }
    for path in CORPUS.rglob("utterances.yaml"):
        taken |= {_norm(line) for line in _corpus_lines(yaml.safe_load(path.read_text()))}
    for pool in NATURAL_POOLS:
        for line in _lines(pool):
            assert _norm(line.format(name="Sam")) not in taken, line


@settings(max_examples=60, deadline=None)
@given(
    shows=st.fixed_dictionaries({b: st.booleans() for b in BEHAVIOURS}),
    channel=st.sampled_from(["voice", "chat", "email"]),
    seed=st.integers(0, 10_000),
)
def test_natural_transcripts_are_conversations_autoqa_can_read(
    shows: dict[str, bool], channel: str, seed: int
) -> None:
    text = natural.transcript(random.Random(seed), "billing", "Sam", shows, True, channel)
    assert text != transcript(random.Random(seed), "billing", "Sam", shows, True, channel)
    result = auto_check(redact(text), CARD, encoder(), channel)
    checked = {c.id for s in CARD.sections for c in s.criteria if c.detector}
    assert result is not None
    assert all(c.evidence for c in result.criteria if c.criterion_id in checked)
