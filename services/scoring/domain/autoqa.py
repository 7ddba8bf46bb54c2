"""Automated checks (AutoQA) on transcripts, each answer with its evidence. Pure.

The transcript is read as a conversation (`transcript.py`): turns by speaker, and only the
agent's own words are judged for agent behaviours. Each criterion with a detector is checked by
the engine its scorecard names (`detectors.py`): `semantic` (meaning, `semantic.py`) or the
lexical `phrase` / `regex` / `absent` (`lexical.py`), in the region it names (the agent's
opening, closing, or anywhere). A criterion whose `applies_when` cues are absent from the
conversation is N/A. Criteria without a detector are left N/A for a human. Results are
labelled `automated`; every answer carries evidence naming its engine.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from contracts.evaluations import CriterionAnswer
from contracts.scores import Evidence, QaResult
from services.scoring.domain.detectors import Applicability, Detector
from services.scoring.domain.evaluation import ScoringError, score_evaluation
from services.scoring.domain.lexical import Span, _compiled, check
from services.scoring.domain.semantic import Embed, bank, decide
from services.scoring.domain.standards import Scorecard
from services.scoring.domain.transcript import Conversation, parse

_SEMANTIC: dict[tuple[str, str], tuple[tuple[str, Detector], ...]] = {}


def semantic_detectors(scorecard: Scorecard) -> tuple[tuple[str, Detector], ...]:
    key = (scorecard.id, scorecard.version)
    if key not in _SEMANTIC:
        _SEMANTIC[key] = tuple(
            (c.id, c.detector)
            for s in scorecard.sections
            for c in s.criteria
            if c.detector is not None and c.detector.kind == "semantic"
        )
    return _SEMANTIC[key]


@lru_cache(maxsize=64)
def _cues(applicability: Applicability) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(applicability.mentions) + r")\b", re.IGNORECASE)


def not_applicable(criterion_id: str, d: Detector, conv: Conversation) -> Evidence | None:
    """Evidence of N/A when the detector's applicability cues are all absent, else None."""
    if d.applies_when is None:
        return None
    cues = _cues(d.applies_when)
    for start, end in conv.words_of(d.applies_when.speaker):
        if cues.search(conv.text, start, end):
            return None
    return Evidence(
        rule=f"{criterion_id}: not applicable, no cue of {d.applies_when.speaker} words "
        "calls for it",
        engine=d.kind,
    )


def _spans(conv: Conversation, d: Detector) -> list[Span]:
    if d.speaker == "any":
        return [(None, 0, len(conv.text))]
    if d.region == "anywhere":
        return [(n, t.start, t.end) for n, t in enumerate(conv.turns) if t.speaker == "agent"]
    seen: dict[int, tuple[int, int, int]] = {}
    for u in conv.region(d.region):  # whole sentences come before their clauses
        seen.setdefault(u.sentence, (u.turn, u.start, u.end))
    return list(seen.values())


def auto_check(
    transcript: str,
    scorecard: Scorecard,
    embed: Embed | None = None,
    channel: str | None = None,
) -> QaResult | None:
    """Score the criteria that have detectors; None when the scorecard has none. `embed` is
    required when the scorecard has semantic detectors."""
    lexical, semantic = _compiled(scorecard), semantic_detectors(scorecard)
    if not (lexical or semantic) or not transcript:
        return None
    if semantic and embed is None:
        raise ValueError(f"scorecard {scorecard.id!r} has semantic detectors: pass an encoder")
    conv = parse(transcript, channel)
    evidence: dict[str, tuple[Evidence, ...]] = {}
    answers: dict[str, str] = {}
    lowered: str | None = transcript.lower()
    if len(lowered or "") != len(transcript):  # rare Unicode case changes length: use regexes
        lowered = None
    for criterion_id, detector, rx in lexical:
        found = not_applicable(criterion_id, detector, conv)
        if found is not None:
            answers[criterion_id] = "na"
        else:
            spans = _spans(conv, detector)
            answers[criterion_id], found = check(
                criterion_id, detector, rx, transcript, lowered, spans
            )
        evidence[criterion_id] = (found,)
    if semantic:
        assert embed is not None
        exemplars = bank((scorecard.id, scorecard.version), semantic, embed)
        texts = [u.text for u in conv.utterances]  # one batch per interaction
        maxima = exemplars.maxima(embed(texts) if texts else np.zeros((0, 1), np.float32))
        for criterion_id, detector in semantic:
            found = not_applicable(criterion_id, detector, conv)
            if found is not None:
                answers[criterion_id] = "na"
            else:
                rows = conv.rows(detector.region)
                region = [conv.utterances[n] for n in rows]
                answers[criterion_id], found = decide(
                    criterion_id, detector, region, maxima[rows], exemplars
                )
            evidence[criterion_id] = (found,)
    ordered = [
        CriterionAnswer(criterion_id=c.id, answer=answers[c.id])
        for s in scorecard.sections
        for c in s.criteria
        if c.id in answers
    ]
    try:
        return score_evaluation(ordered, scorecard, automated=True, evidence=evidence)
    except ScoringError:
        return None  # e.g. a criterion without detector that may not be N/A
