"""How far automated answers agree with human evaluators of the same interactions. Pure.

- Cohen's kappa over the (automated, human) answer table, with the large-sample standard
  error of Fleiss, Cohen & Everitt (1969) — the delta-method variance of kappa under a
  multinomial table, valid whatever kappa's true value (not only under kappa = 0) — and a
  normal interval kappa ± z·SE, clipped to [-1, 1].
- False-pass rate: of the pairs a human answered "no", the share AutoQA answered "yes";
  false-fail rate: of the pairs a human answered "yes", the share AutoQA answered "no"; each
  with a Wilson score interval.
Kappa is undefined (None) when chance agreement is 1: both sides gave one and the same
answer throughout, so the pairs cannot show whether the check discriminates.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import NormalDist

from contracts.gates import Agreement


@dataclass(frozen=True, slots=True)
class Pair:
    """One interaction's automated and human answer to one criterion (N/A never pairs)."""

    auto: str
    human: str
    at: datetime  # when the human evaluated it


def z_for(confidence: float) -> float:
    return NormalDist().inv_cdf(1 - (1 - confidence) / 2)


def wilson(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion (sound at small n and near 0 or 1)."""
    if n == 0:
        return 0.0, 1.0
    z = z_for(confidence)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True, slots=True)
class Kappa:
    kappa: float
    se: float
    observed: float  # p_o
    chance: float  # p_e


def cohen_kappa(table: Counter[tuple[str, str]]) -> Kappa | None:
    """Cohen's kappa and its large-sample SE from counts of (rater A, rater B) answers."""
    n = sum(table.values())
    if n == 0:
        return None
    labels = sorted({a for a, _ in table} | {b for _, b in table})
    p = {cell: count / n for cell, count in table.items()}
    row = {i: sum(v for (a, _), v in p.items() if a == i) for i in labels}  # rater A
    col = {j: sum(v for (_, b), v in p.items() if b == j) for j in labels}  # rater B
    po = sum(p.get((i, i), 0.0) for i in labels)
    pe = sum(row[i] * col[i] for i in labels)
    if pe >= 1.0 - 1e-12:
        return None
    k = (po - pe) / (1 - pe)
    a = sum(p.get((i, i), 0.0) * (1 - (row[i] + col[i]) * (1 - k)) ** 2 for i in labels)
    b = (1 - k) ** 2 * sum(
        v * (col[i] + row[j]) ** 2 for (i, j), v in p.items() if i != j
    )  # off-diagonal cells
    c = (k - pe * (1 - k)) ** 2
    variance = max(0.0, (a + b - c) / (n * (1 - pe) ** 2))
    return Kappa(k, math.sqrt(variance), po, pe)


def agreement(pairs: Sequence[Pair], confidence: float = 0.95) -> Agreement:
    """The statistics of one criterion's window of pairs."""
    if not pairs:
        return Agreement(pairs=0)
    table = Counter((p.auto, p.human) for p in pairs)
    k = cohen_kappa(table)
    z = z_for(confidence)
    human_no = sum(v for (_, h), v in table.items() if h == "no")
    human_yes = sum(v for (_, h), v in table.items() if h == "yes")
    false_pass, false_fail = table[("yes", "no")], table[("no", "yes")]
    fp_low, fp_high = wilson(false_pass, human_no, confidence)
    ff_low, ff_high = wilson(false_fail, human_yes, confidence)
    return Agreement(
        pairs=len(pairs),
        observed_agreement=sum(v for (a, h), v in table.items() if a == h) / len(pairs),
        kappa=_clip(k.kappa) if k else None,
        kappa_se=k.se if k else None,
        kappa_low=_clip(k.kappa - z * k.se) if k else None,
        kappa_high=_clip(k.kappa + z * k.se) if k else None,
        human_no=human_no,
        false_pass=false_pass,
        false_pass_rate=false_pass / human_no if human_no else None,
        false_pass_low=fp_low if human_no else None,
        false_pass_high=fp_high if human_no else None,
        human_yes=human_yes,
        false_fail=false_fail,
        false_fail_rate=false_fail / human_yes if human_yes else None,
        false_fail_low=ff_low if human_yes else None,
        false_fail_high=ff_high if human_yes else None,
        first_at=min(p.at for p in pairs),
        last_at=max(p.at for p in pairs),
    )


def _clip(x: float) -> float:
    return max(-1.0, min(1.0, x))
