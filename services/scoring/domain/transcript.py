"""A transcript read as a conversation: turns by speaker, the agent's utterances, and where the
agent opens and closes. Pure.

Turns start at a speaker label — "Agent:", "Customer:" and their synonyms (Advisor, Rep,
Caller, Client, ...), in title or upper case, optionally with a name in brackets and a
"[10:02]" time stamp before it — wherever a line or a sentence starts. Text before the first
label is nobody's; a transcript without any label is read as the agent's words (older sources).
Emails are set apart further (`email_parts`): quoted earlier messages are the customer's,
signatures and footers nobody's.

A *run* is the agent's consecutive turns with no customer turn between them (chat's short
turns: "Hi" / "Sam here" / "how can I help?" are one run); in an email each paragraph of the
reply is a run. An *utterance* is a sentence of the agent's (or a line); sentences with several
clauses also yield each clause, so "Morning, let me check that for you" offers "Morning" alone.
The opening is the agent's first run (at most four sentences). The closing is the agent's last
run, with the run before it when the last is a short sign-off (two sentences or fewer), at
most six sentences and never the opening. A reply of one run splits in two: the first half (at
most four sentences) opens, the rest (at most six) closes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from services.scoring.domain.email_parts import PARAGRAPH, parts

Speaker = Literal["agent", "customer", "other"]
AGENT = ("agent", "advisor", "adviser", "rep", "representative", "operator", "support", "staff")
CUSTOMER = ("customer", "caller", "client", "member", "user", "visitor", "guest")
_ROLES = "|".join(f"{r.title()}|{r.upper()}" for r in AGENT + CUSTOMER)
LABEL = re.compile(
    rf"(?:^|(?<=\s))(?:\[\d{{1,2}}:\d{{2}}(?::\d{{2}})?\][ \t]*)?(?P<role>{_ROLES})"
    rf"(?:[ \t]*\([^()\n]{{1,40}}\))?[ \t]*:(?=\s|$)",
    re.M,
)
SENTENCE_END = re.compile(r"[.!?…]+[\"')\]]*(?=\s|$)|\n")
CLAUSE_END = re.compile(r"[,;:](?=\s)|\s[-\u2013\u2014](?=\s)")
OPENING_SENTENCES, CLOSING_SENTENCES, SHORT_RUN = 4, 6, 2


@dataclass(frozen=True)
class Turn:
    speaker: Speaker
    start: int
    end: int
    part: str = "body"  # body, or for emails quoted / signature / footer; preamble
    new_run: bool = False  # an email paragraph: starts a run of its own


@dataclass(frozen=True)
class Utterance:
    turn: int  # index in Conversation.turns
    sentence: int  # ordinal of the agent's sentence it belongs to
    clause: bool  # a clause of that sentence (the whole sentence comes first)
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Conversation:
    text: str
    turns: tuple[Turn, ...]
    utterances: tuple[Utterance, ...]  # the agent's, in order
    runs: tuple[tuple[int, int], ...]  # per agent run: (first sentence, last sentence + 1)
    labelled: bool

    def rows(self, where: str) -> list[int]:
        """Indices of the agent's utterances in the opening, the closing, or anywhere."""
        if where == "anywhere" or not self.runs:
            return list(range(len(self.utterances)))
        first, last = self.runs[0]
        if len(self.runs) == 1:
            opening_end = first + min(OPENING_SENTENCES, (last - first + 1) // 2)
        else:
            opening_end = min(last, first + OPENING_SENTENCES)
        if where == "opening":
            first, last = first, opening_end
        else:
            first, last = self.runs[-1]
            if last - first <= SHORT_RUN and len(self.runs) > 1:
                first = self.runs[-2][0]
            first = max(first, last - CLOSING_SENTENCES, min(opening_end, last - 1))
        return [n for n, u in enumerate(self.utterances) if first <= u.sentence < last]

    def region(self, where: str) -> tuple[Utterance, ...]:
        return tuple(self.utterances[n] for n in self.rows(where))

    def words_of(self, speaker: str) -> list[tuple[int, int]]:
        """Spans of the speaker's own words (`any`: the whole transcript)."""
        if speaker == "any":
            return [(0, len(self.text))]
        return [(t.start, t.end) for t in self.turns if t.speaker == speaker]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _turns(text: str, channel: str | None) -> tuple[list[Turn], bool]:
    labels = list(LABEL.finditer(text))
    raw: list[Turn] = []
    if not labels:
        raw.append(Turn("agent", 0, len(text)))
    elif text[: labels[0].start()].strip():
        raw.append(Turn("other", 0, labels[0].start(), "preamble"))
    for n, m in enumerate(labels):
        role = m["role"].lower()
        end = labels[n + 1].start() if n + 1 < len(labels) else len(text)
        raw.append(Turn("agent" if role in AGENT else "customer", m.end(), end))
    out: list[Turn] = []
    for turn in raw:
        pieces = [("body", turn.start, turn.end)]
        if channel == "email" and turn.speaker != "other":
            pieces = parts(text, turn.start, turn.end)
        for part, start, end in pieces:
            speaker: Speaker = turn.speaker if part == "body" else "other"
            if part == "quoted" and turn.speaker == "agent":
                speaker = "customer"  # the customer's message the reply quotes
            paragraphs = [(start, end)]
            if channel == "email" and speaker == "agent":
                cuts = [m.span() for m in PARAGRAPH.finditer(text, start, end)]
                bounds = [start, *(c for span in cuts for c in span), end]
                paragraphs = list(zip(bounds[::2], bounds[1::2], strict=True))
            for n, (a, b) in enumerate(paragraphs):
                a, b = _trim(text, a, b)
                if a < b:
                    name = part if part != "body" else turn.part
                    out.append(Turn(speaker, a, b, name, new_run=n > 0))
    return out, bool(labels)


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out, at = [], start
    for m in SENTENCE_END.finditer(text, start, end):
        out.append(_trim(text, at, m.end()))
        at = m.end()
    out.append(_trim(text, at, end))
    return [(a, b) for a, b in out if any(c.isalnum() for c in text[a:b])]


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    cuts = list(CLAUSE_END.finditer(text, start, end))
    if not cuts:
        return []
    starts = [start, *(m.end() for m in cuts)]
    ends = [*(m.start() for m in cuts), end]
    spans = [_trim(text, a, b) for a, b in zip(starts, ends, strict=True)]
    return [(a, b) for a, b in spans if any(c.isalpha() for c in text[a:b])]


@lru_cache(maxsize=2048)  # a Kafka batch is parsed to warm the encoder, then scored
def parse(text: str, channel: str | None = None) -> Conversation:
    turns, labelled = _turns(text, channel)
    utterances: list[Utterance] = []
    runs: list[tuple[int, int]] = []
    sentence, open_run = 0, False
    for index, turn in enumerate(turns):
        if turn.speaker == "customer":
            open_run = False
        if turn.speaker != "agent":
            continue
        if not open_run or turn.new_run:
            runs.append((sentence, sentence))
            open_run = True
        for a, b in _sentences(text, turn.start, turn.end):
            utterances.append(Utterance(index, sentence, False, a, b, text[a:b]))
            for ca, cb in _clauses(text, a, b):
                utterances.append(Utterance(index, sentence, True, ca, cb, text[ca:cb]))
            sentence += 1
        runs[-1] = (runs[-1][0], sentence)
    kept = tuple((a, b) for a, b in runs if b > a)
    return Conversation(text, tuple(turns), tuple(utterances), kept, labelled)
