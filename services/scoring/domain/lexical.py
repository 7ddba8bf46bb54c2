"""AutoQA's lexical engines: `phrase` / `regex` pass when found, `absent` (prohibited language)
passes when nothing is found. They read the speaker's own words (the agent's turns unless the
detector says `speaker: any`), optionally narrowed to the older raw positions (first N
characters, last share). Evidence: the matched span with its turn, or the rule that failed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from contracts.scores import Evidence
from services.scoring.domain.standards import Detector, Scorecard

Span = tuple[int | None, int, int]  # (turn index or None, start, end) of text to search


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


Compiled = tuple[tuple[str, Detector, re.Pattern[str]], ...]
_CACHE: dict[tuple[str, str], Compiled] = {}


def _compiled(scorecard: Scorecard) -> Compiled:
    """Compile each scorecard version's lexical detectors once (this runs for every
    interaction); keyed by id and version, since hashing a frozen model walks all of it."""
    key = (scorecard.id, scorecard.version)
    if key not in _CACHE:
        _CACHE[key] = tuple(
            (c.id, c.detector, _regex(c.detector))
            for s in scorecard.sections
            for c in s.criteria
            if c.detector is not None and c.detector.kind != "semantic"
        )
    return _CACHE[key]


def _window(text: str, d: Detector) -> tuple[int, int, str]:
    start, end, where = 0, len(text), "in the agent's words" if d.speaker == "agent" else ""
    if d.region != "anywhere":
        where = f"in the agent's {d.region}"
    if d.within_first_chars is not None:
        end, where = min(end, d.within_first_chars), f"in the first {d.within_first_chars} chars"
    if d.within_last_share is not None:
        start = int(len(text) * (1 - d.within_last_share))
        where = f"in the last {round(d.within_last_share * 100)}%"
    return start, end, where or "anywhere"


def _search(
    d: Detector, rx: re.Pattern[str], text: str, lowered: str | None, spans: Sequence[Span]
) -> tuple[int | None, int, int] | None:
    lo, hi, _ = _window(text, d)
    for turn, a, b in spans:
        a, b = max(a, lo), min(b, hi)
        if a >= b:
            continue
        if lowered is not None and d.phrases and not d.pattern:
            found = _find_phrase(lowered, tuple(p.lower() for p in d.phrases), a, b)
        else:
            match = rx.search(text, a, b)
            found = match.span() if match else None
        if found is not None:
            return turn, found[0], found[1]
    return None


def check(
    criterion_id: str,
    d: Detector,
    rx: re.Pattern[str],
    text: str,
    lowered: str | None = None,
    spans: Sequence[Span] | None = None,
) -> tuple[str, Evidence]:
    """`spans`: where the speaker's words are, in order (default: the whole text)."""
    hit = _search(d, rx, text, lowered, [(None, 0, len(text))] if spans is None else spans)
    if d.kind == "absent":
        if hit is None:
            return "yes", Evidence(
                rule=f"{criterion_id}: no prohibited phrase found", engine=d.kind
            )
        return "no", Evidence(
            turn=hit[0],
            start=hit[1],
            end=hit[2],
            text=text[hit[1] : hit[2]],
            rule=f"{criterion_id}: prohibited phrase",
            engine=d.kind,
        )
    if hit is None:
        where = _window(text, d)[2]
        return "no", Evidence(rule=f"{criterion_id}: no {d.kind} matched {where}", engine=d.kind)
    return "yes", Evidence(
        turn=hit[0], start=hit[1], end=hit[2], text=text[hit[1] : hit[2]], engine=d.kind
    )
