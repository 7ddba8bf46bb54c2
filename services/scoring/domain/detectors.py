"""How a scorecard criterion is checked automatically (AutoQA), as the scorecard YAML says.

Engines (`kind`):
- `semantic`: the agent's utterances are compared by meaning (sentence embeddings, cosine
  similarity) with the criterion's `exemplars`; the criterion is met when an utterance of the
  region reaches `threshold` and is closer to an exemplar than to any `counter_exemplars`
  (near misses, e.g. "can I take your email address" is not an identity check);
- `phrase` / `regex`: met when a phrase or the pattern is found (what is truly lexical: a
  disclosure that must be read verbatim);
- `absent`: met when no phrase or pattern is found (prohibited language).

`region`: where in the agent's words to look — `opening` (the agent's first turns), `closing`
(the agent's last turns) or `anywhere`. `speaker: any` also reads the customer's words (lexical
only). `within_first_chars` / `within_last_share` are the older positions over the raw text,
kept for lexical detectors. `applies_when`: the criterion is N/A for an interaction whose
conversation shows none of the cues (e.g. no identity check is due when the contact never
touches the customer's account).
"""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

Text = Annotated[str, Field(min_length=1, max_length=500)]
Region = Literal["anywhere", "opening", "closing"]
LEXICAL = ("phrase", "regex", "absent")


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Applicability(_Strict):
    """Cues (regular expressions, case-insensitive, matched on word boundaries) that make the
    criterion apply; when none appears in the speaker's words the answer is N/A."""

    mentions: Annotated[tuple[Text, ...], Field(min_length=1)]
    speaker: Literal["any", "customer", "agent"] = "any"


class Detector(_Strict):
    kind: Literal["phrase", "regex", "absent", "semantic"]
    phrases: tuple[Annotated[str, Field(min_length=1)], ...] = ()
    pattern: str | None = None
    exemplars: tuple[Text, ...] = ()
    counter_exemplars: tuple[Text, ...] = ()
    threshold: Annotated[float, Field(gt=0, le=1)] | None = None
    region: Region = "anywhere"
    speaker: Literal["agent", "any"] = "agent"
    within_first_chars: Annotated[int, Field(gt=0)] | None = None
    within_last_share: Annotated[float, Field(gt=0, le=1)] | None = None
    applies_when: Applicability | None = None

    @model_validator(mode="after")
    def _has_something(self) -> Self:
        if self.kind == "semantic":
            if not self.exemplars or self.threshold is None:
                raise ValueError("a semantic detector needs exemplars and a threshold")
            if self.phrases or self.pattern or self.speaker != "agent":
                raise ValueError("a semantic detector reads the agent's words by meaning only")
            if self.within_first_chars is not None or self.within_last_share is not None:
                raise ValueError("a semantic detector places itself with region")
        else:
            if not self.phrases and not self.pattern:
                raise ValueError("a detector needs phrases or a pattern")
            if self.exemplars or self.counter_exemplars or self.threshold is not None:
                raise ValueError(
                    f"exemplars and threshold are for semantic detectors, not {self.kind}"
                )
        return self

    @property
    def engine(self) -> str:
        return self.kind
