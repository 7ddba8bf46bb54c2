"""AutoQA's semantic engine: the decision, given sentence vectors (the encoder itself is
computation handed in by the edge, `services/scoring/autoqa_model.py`). Pure.

A criterion is met when one of the agent's utterances in its region is as close to one of its
exemplars as the threshold asks (cosine similarity of L2-normalised vectors) and closer to the
exemplars than any counter-exemplar is to it or to the whole sentence it is a clause of:
"Sorry, could you repeat that?" is a counter-example, so its clause "Sorry" is no empathy. The evidence is that utterance — or, when none
qualifies, the closest one — with its score against the threshold.
"""

from __future__ import annotations

from collections.abc import Sequence
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


_EXEMPLARS: dict[tuple[str, tuple[str, ...]], Vectors] = {}


def exemplar_vectors(embed: Embed, texts: tuple[str, ...]) -> Vectors:
    """Exemplars are embedded once per model and list (scorecards rarely change)."""
    key = (embed.version, texts)
    if key not in _EXEMPLARS:
        if len(_EXEMPLARS) > 256:
            _EXEMPLARS.clear()
        _EXEMPLARS[key] = embed(list(texts)) if texts else np.zeros((0, 1), dtype=np.float32)
    return _EXEMPLARS[key]


def decide(
    criterion_id: str,
    d: Detector,
    utterances: Sequence[Utterance],
    vectors: Vectors,
    embed: Embed,
) -> tuple[str, Evidence]:
    """`vectors[i]` embeds `utterances[i]` (the detector's region, in order)."""
    assert d.threshold is not None
    threshold = d.threshold
    if not utterances:
        return "no", Evidence(
            rule=f"{criterion_id}: the agent said nothing in the {d.region}",
            threshold=threshold,
            engine="semantic",
            model=embed.version,
        )
    positive = (vectors @ exemplar_vectors(embed, d.exemplars).T).max(axis=1)
    qualifies = positive >= threshold
    if d.counter_exemplars:
        negative = (vectors @ exemplar_vectors(embed, d.counter_exemplars).T).max(axis=1)
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
        score=round(float(np.clip(positive[best], -1, 1)), 4),
        threshold=threshold,
        engine="semantic",
        model=embed.version,
    )
