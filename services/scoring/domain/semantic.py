"""AutoQA's semantic engine: the decision, given sentence vectors (the encoder itself is
computation handed in by the edge, `services/scoring/autoqa_model.py`). Pure.

A criterion is met when one of the agent's utterances in its region is as close to one of its
exemplars as the threshold asks (cosine similarity of L2-normalised vectors) and closer to the
exemplars than any counter-exemplar is to it or to the whole sentence it is a clause of:
"Sorry, could you repeat that?" is a counter-example, so its clause "Sorry" is no empathy.
The evidence is that utterance — or, when none qualifies, the closest one — with its score
against the threshold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from contracts.scores import Evidence
from services.scoring.domain.detectors import Detector
from services.scoring.domain.transcript import Utterance

Vectors = NDArray[np.float32]


class Embed(Protocol):
    """Texts -> (n, dim) float32, rows L2-normalised; `version` names the model."""

    version: str

    def __call__(self, texts: Sequence[str]) -> Vectors: ...


@dataclass(frozen=True)
class Bank:
    """Every semantic criterion's exemplars in one matrix, so an interaction's utterances are
    compared with all of them in one product, and each criterion's best match (exemplars,
    counter-exemplars) taken in one reduction: `columns` indexes those maxima."""

    vectors: Vectors  # (exemplars, dim)
    starts: NDArray[np.intp]  # first row of each non-empty exemplar list
    columns: dict[str, tuple[int, int | None]]  # criterion -> (exemplars, counter-exemplars)
    model: str

    def maxima(self, utterances: Vectors) -> Vectors:
        """(utterances, lists): each utterance's best similarity within each exemplar list."""
        if not len(utterances):
            return np.zeros((0, len(self.starts)), dtype=np.float32)
        out: Vectors = np.maximum.reduceat(utterances @ self.vectors.T, self.starts, axis=1)
        return out


_BANKS: dict[tuple[str, str, str], Bank] = {}


def bank(key: tuple[str, str], detectors: Sequence[tuple[str, Detector]], embed: Embed) -> Bank:
    """Built once per scorecard version and model (`key`: scorecard id and version)."""
    full = (*key, embed.version)
    if full not in _BANKS:
        texts: list[str] = []
        starts: list[int] = []
        columns: dict[str, tuple[int, int | None]] = {}
        for criterion_id, d in detectors:
            starts.append(len(texts))
            texts += d.exemplars
            counter = None
            if d.counter_exemplars:
                counter = len(starts)
                starts.append(len(texts))
                texts += d.counter_exemplars
            columns[criterion_id] = (len(starts) - 1 - (counter is not None), counter)
        if len(_BANKS) > 64:
            _BANKS.clear()
        _BANKS[full] = Bank(embed(texts), np.array(starts, dtype=np.intp), columns, embed.version)
    return _BANKS[full]


def decide(
    criterion_id: str,
    d: Detector,
    utterances: Sequence[Utterance],
    maxima: Vectors,
    b: Bank,
) -> tuple[str, Evidence]:
    """`maxima[i]`: utterance i (of the detector's region) against each exemplar list."""
    assert d.threshold is not None
    threshold = d.threshold
    if not utterances:
        return "no", Evidence(
            rule=f"{criterion_id}: the agent said nothing in the {d.region}",
            threshold=threshold,
            engine="semantic",
            model=b.model,
        )
    pos_col, neg_col = b.columns[criterion_id]
    positive = maxima[:, pos_col]
    qualifies = positive >= threshold
    if neg_col is not None:
        negative = maxima[:, neg_col]
        whole = {u.sentence: n for n, u in enumerate(utterances) if not u.clause}
        of_sentence = negative[[whole.get(u.sentence, n) for n, u in enumerate(utterances)]]
        qualifies &= positive > np.maximum(negative, of_sentence)
    if qualifies.any():
        best = int(np.argmax(np.where(qualifies, positive, -np.inf)))
        answer, rule = "yes", None
    else:
        best = int(np.argmax(positive))
        answer = "no"
        where = "" if d.region == "anywhere" else f" in the {d.region}"
        rule = f"{criterion_id}: no agent utterance{where} reached {threshold:.2f}"
        if positive[best] >= threshold:
            rule = f"{criterion_id}: the closest utterance is nearer a counter-example"
    u = utterances[best]
    return answer, Evidence(
        turn=u.turn,
        start=u.start,
        end=u.end,
        text=u.text[:2000],
        rule=rule,
        score=round(min(1.0, max(-1.0, float(positive[best]))), 4),
        threshold=threshold,
        engine="semantic",
        model=b.model,
    )
