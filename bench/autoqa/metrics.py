"""Agreement of automated answers with the labels, per criterion: recall of the behaviour,
false-detection rate, N/A agreement and Cohen's kappa over the answers (yes / no / na)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Figures:
    criterion: str
    present: int  # cases where the behaviour is there
    detected: int  # ... and AutoQA found it
    absent: int  # cases where it is not (N/A excluded)
    false_detections: int
    na_cases: int
    na_agreed: int
    kappa: float | None
    cases: int

    @property
    def recall(self) -> float | None:
        return self.detected / self.present if self.present else None

    @property
    def false_detection(self) -> float | None:
        return self.false_detections / self.absent if self.absent else None


def kappa(pairs: list[tuple[str, str]]) -> float | None:
    """Cohen's kappa of (label, answer) pairs; None when chance agreement is total."""
    n = len(pairs)
    if not n:
        return None
    observed = sum(a == b for a, b in pairs) / n
    labels, answers = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(labels[k] * answers[k] for k in labels) / (n * n)
    return None if expected == 1 else (observed - expected) / (1 - expected)


def figures(criterion: str, engine: str, pairs: list[tuple[str, str]]) -> Figures:
    """`pairs`: (label, answer). For `absent` detectors (prohibited language) the behaviour
    detected is the violation: label/answer "no"."""
    shown = "no" if engine == "absent" else "yes"
    present = [(lab, ans) for lab, ans in pairs if lab == shown]
    absent = [(lab, ans) for lab, ans in pairs if lab not in (shown, "na")]
    na = [(lab, ans) for lab, ans in pairs if lab == "na"]
    return Figures(
        criterion=criterion,
        present=len(present),
        detected=sum(ans == shown for _, ans in present),
        absent=len(absent),
        false_detections=sum(ans == shown for _, ans in absent),
        na_cases=len(na),
        na_agreed=sum(ans == "na" for _, ans in na),
        kappa=kappa(pairs),
        cases=len(pairs),
    )
