"""AutoQA test helpers: the real sentence encoder (one per process), and a scorecard whose
detectors are all lexical — the phrases and patterns core-qa used before its semantic engine —
to test the lexical engines and their positions on their own."""

from __future__ import annotations

from functools import cache

import yaml

from services.scoring.autoqa_model import shared_encoder
from services.scoring.domain.standards import Scorecard
from services.scoring.encoder.encoder import Encoder

LEXICAL_YAML = """
id: lexical-qa
title: Lexical checks only
version: lexical-v1
sections:
  - id: opening
    title: Opening
    weight: 1
    criteria:
      - id: greeting
        text: Greets
        detector:
          kind: phrase
          within_first_chars: 250
          speaker: any
          phrases: [good morning, good afternoon, hello, thank you for calling, thanks for calling]
      - id: identity-verification
        text: Verifies identity
        critical: evaluation
        detector:
          kind: regex
          pattern: "confirm (your|the) (date of birth|postcode)|security (question|check)"
  - id: soft-skills
    title: Soft skills
    weight: 1
    criteria:
      - id: empathy
        text: Empathy
        detector:
          kind: phrase
          phrases: [i'm sorry, i am sorry, i understand, that must be]
      - id: no-prohibited-language
        text: No prohibited language
        critical: section
        detector:
          kind: absent
          phrases: [not my problem, calm down, whatever]
  - id: closing
    title: Closing
    weight: 1
    criteria:
      - id: anything-else
        text: Anything else
        detector:
          kind: phrase
          within_last_share: 0.35
          speaker: any
          phrases: [anything else]
      - id: summary
        text: Summary
        detector:
          kind: phrase
          region: closing
          phrases: [to summarise, just to recap]
"""
LEXICAL = Scorecard.model_validate(yaml.safe_load(LEXICAL_YAML))


@cache
def encoder() -> Encoder:
    return shared_encoder()
