"""Interactions/s of AutoQA on 600-character transcripts, one thread: cold (the encoder's
cache emptied before every interaction, so every utterance is encoded), one pass with the
cache on (phrases the frames share are encoded once), and warm (every utterance cached)."""

from __future__ import annotations

import time
from collections.abc import Sequence

from bench.autoqa.corpus import Case
from services.scoring.domain.autoqa import auto_check
from services.scoring.domain.standards import Scorecard
from services.scoring.domain.transcript import parse
from services.scoring.encoder.encoder import Encoder

LENGTH = 600


def transcripts(cases: Sequence[Case], n: int) -> list[tuple[str, str]]:
    """(channel, text) of exactly LENGTH characters: a case's transcript, topped up with the
    next cases' when short."""
    out: list[tuple[str, str]] = []
    at = 0
    while len(out) < n and cases:
        channel, text = cases[at % len(cases)].channel, cases[at % len(cases)].transcript
        while len(text) < LENGTH:
            at += 1
            text += " " + cases[at % len(cases)].transcript
        out.append((channel, text[:LENGTH]))
        at += 1
    return out


def rate(items: list[tuple[str, str]], card: Scorecard, enc: Encoder, cold: bool) -> float:
    parse.cache_clear()  # every pass parses its transcripts (the service parses a batch once)
    start = time.perf_counter()
    for channel, text in items:
        if cold:
            enc.clear()
        auto_check(text, card, enc, channel)
    return len(items) / (time.perf_counter() - start)


def measure(cases: Sequence[Case], card: Scorecard, enc: Encoder, n: int = 300) -> dict[str, float]:
    items = transcripts(cases, n)
    out = {"cold": rate(items, card, enc, cold=True)}
    enc.clear()
    out["first pass, cache on"] = rate(items, card, enc, cold=False)
    out["warm"] = rate(items, card, enc, cold=False)
    return out
