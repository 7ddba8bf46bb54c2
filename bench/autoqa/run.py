"""Run AutoQA over a split's cases and compare its answers with the labels."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from bench.autoqa.corpus import Case, cases, regions
from bench.autoqa.metrics import Figures, figures
from services.scoring.domain.autoqa import auto_check
from services.scoring.domain.semantic import Embed
from services.scoring.domain.standards import Scorecard


@dataclass(frozen=True)
class Miss:
    case: Case
    criterion: str
    label: str
    answer: str
    score: float | None
    threshold: float | None
    evidence: str | None


def evaluate(split: str, card: Scorecard, embed: Embed) -> tuple[list[Figures], list[Miss]]:
    pairs: dict[str, list[tuple[str, str]]] = defaultdict(list)
    misses: list[Miss] = []
    for case in cases(split, card):
        result = auto_check(case.transcript, card, embed, case.channel)
        assert result is not None, case.id
        got = {c.criterion_id: c for c in result.criteria}
        for criterion, label in case.labels.items():
            c = got[criterion]
            answer = str(c.answer)
            pairs[criterion].append((label, answer))
            if answer != label:
                ev = c.evidence[0] if c.evidence else None
                misses.append(
                    Miss(
                        case,
                        criterion,
                        label,
                        answer,
                        ev.score if ev else None,
                        ev.threshold if ev else None,
                        (ev.text or ev.rule) if ev else None,
                    )
                )
    engines = regions(card)
    return [figures(c, engines[c][1], pairs[c]) for c in engines if c in pairs], misses
