"""Verbatim sentiment with VADER (a maintained lexicon analyser; the lexicon ships with the
package, so nothing is fetched at run time). Compound score in [-1, 1]."""

from __future__ import annotations

from functools import cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer


@cache
def _analyser() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def sentiment(text: str | None) -> float | None:
    if not text or not text.strip():
        return None
    return round(float(_analyser().polarity_scores(text)["compound"]), 4)
