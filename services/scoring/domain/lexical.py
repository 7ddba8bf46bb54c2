"""Automated checks (AutoQA) on transcripts, each answer with its evidence.

A detector finds phrases or a pattern in a region of the transcript (first N characters, last
share, or all of it). `phrase`/`regex` pass when found (evidence: the matched span); `absent`
(prohibited language) passes when nothing is found (evidence on failure: the offending span).
Criteria without a detector are left N/A for a human. Results are labelled `automated`.
"""

from __future__ import annotations

import re

from contracts.evaluations import CriterionAnswer
from contracts.scores import Evidence, QaResult
from services.scoring.domain.evaluation import ScoringError, score_evaluation
from services.scoring.domain.standards import Detector, Scorecard


def _find_phrase(
    lowered: str, phrases: tuple[str, ...], start: int, end: int
) -> tuple[int, int] | None:
    """Earliest whole-word occurrence of any phrase: plain `str.find` on the lowered text is
    ~10x cheaper than a case-insensitive alternation regex on this hot path."""
    best: tuple[int, int] | None = None
    for phrase in phrases:
        at = lowered.find(phrase, start, end)
        while at != -1:
            stop = at + len(phrase)
            if (at == 0 or not lowered[at - 1].isalnum()) and (
                stop >= len(lowered) or not lowered[stop].isalnum()
            ):
                if best is None or at < best[0]:
                    best = (at, stop)
                break
            at = lowered.find(phrase, at + 1, end)
    return best


def _regex(detector: Detector) -> re.Pattern[str]:
    parts = [r"\b" + re.escape(p).replace(r"\ ", r"\s+") + r"\b" for p in detector.phrases]
    if detector.pattern:
        parts.append(f"(?:{detector.pattern})")
    return re.compile("|".join(parts), re.IGNORECASE)


_CACHE: dict[tuple[str, str], tuple[tuple[str, Detector, re.Pattern[str]], ...]] = {}


def _compiled(scorecard: Scorecard) -> tuple[tuple[str, Detector, re.Pattern[str]], ...]:
    """Compile each scorecard version's detectors once (this runs for every interaction);
    keyed by id and version, since hashing a frozen model walks all of it."""
    key = (scorecard.id, scorecard.version)
    if key not in _CACHE:
        _CACHE[key] = _compile(scorecard)
    return _CACHE[key]


def _compile(scorecard: Scorecard) -> tuple[tuple[str, Detector, re.Pattern[str]], ...]:
    return tuple(
        (c.id, c.detector, _regex(c.detector))
        for s in scorecard.sections
        for c in s.criteria
        if c.detector is not None
    )


def _region(text: str, d: Detector) -> tuple[int, int, str]:
    start, end, where = 0, len(text), "anywhere"
    if d.within_first_chars is not None:
        end, where = min(end, d.within_first_chars), f"in the first {d.within_first_chars} chars"
    if d.within_last_share is not None:
        start = int(len(text) * (1 - d.within_last_share))
        where = f"in the last {round(d.within_last_share * 100)}%"
    return start, end, where


def check(
    criterion_id: str, d: Detector, rx: re.Pattern[str], text: str, lowered: str | None = None
) -> tuple[str, Evidence]:
    start, end, where = _region(text, d)
    span: tuple[int, int] | None = None
    if lowered is not None and d.phrases and not d.pattern:
        span = _find_phrase(lowered, tuple(p.lower() for p in d.phrases), start, end)
    elif (match := rx.search(text, start, end)) is not None:
        span = match.span()
    if d.kind == "absent":
        if span is None:
            return "yes", Evidence(rule=f"{criterion_id}: no prohibited phrase found")
        return "no", Evidence(
            start=span[0],
            end=span[1],
            text=text[span[0] : span[1]],
            rule=f"{criterion_id}: prohibited phrase",
        )
    if span is None:
        return "no", Evidence(rule=f"{criterion_id}: no {d.kind} matched {where}")
    return "yes", Evidence(start=span[0], end=span[1], text=text[span[0] : span[1]])


def auto_check(transcript: str, scorecard: Scorecard) -> QaResult | None:
    """Score the criteria that have detectors; None when the scorecard has none."""
    detectors = _compiled(scorecard)
    if not detectors or not transcript:
        return None
    answers, evidence = [], {}
    lowered = transcript.lower()
    if len(lowered) != len(transcript):  # rare Unicode case changes length: use the regexes
        lowered = None  # type: ignore[assignment]
    for criterion_id, detector, rx in detectors:
        answer, found = check(criterion_id, detector, rx, transcript, lowered)
        answers.append(CriterionAnswer(criterion_id=criterion_id, answer=answer))
        evidence[criterion_id] = (found,)
    try:
        return score_evaluation(answers, scorecard, automated=True, evidence=evidence)
    except ScoringError:
        return None  # e.g. a criterion without detector that may not be N/A
