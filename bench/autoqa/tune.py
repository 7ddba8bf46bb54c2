"""Tuning aid, on the TUNE split only: per semantic criterion, the score each case would get
(the best utterance of its region that beats the counter-exemplars) and the threshold that
keeps false detections at or under the target with the most recall.

    .venv/bin/python -m bench.autoqa.tune [criterion ...]
"""

from __future__ import annotations

import sys
from collections import defaultdict

from bench.autoqa.corpus import cases
from services.scoring.autoqa_model import shared_encoder
from services.scoring.domain.autoqa import auto_check
from services.scoring.settings import DEFAULT_STANDARDS
from services.scoring.standards_files import load_standards

SPLIT = "tune"  # never the held-out split
MAX_FALSE = 0.03


def main(only: list[str]) -> None:
    card = load_standards(DEFAULT_STANDARDS).scorecard("core-qa")
    # The same scorecard with every semantic threshold at the floor: the evidence score is
    # then the case's score (best qualifying utterance), whatever the shipped threshold.
    sections = []
    for s in card.sections:
        crits = tuple(
            c.model_copy(update={"detector": c.detector.model_copy(update={"threshold": 1e-6})})
            if c.detector is not None and c.detector.kind == "semantic"
            else c
            for c in s.criteria
        )
        sections.append(s.model_copy(update={"criteria": crits}))
    floor = card.model_copy(update={"sections": tuple(sections), "version": "floor"})
    shipped = {c.id: c.detector for s in card.sections for c in s.criteria if c.detector}
    scores: dict[str, list[tuple[float, str, str, str]]] = defaultdict(list)
    enc = shared_encoder()
    for case in cases(SPLIT, card):
        result = auto_check(case.transcript, floor, enc, case.channel)
        assert result is not None
        for c in result.criteria:
            label = case.labels.get(c.criterion_id)
            d = shipped.get(c.criterion_id)
            if label is None or d is None or d.kind != "semantic" or label == "na":
                continue
            ev = c.evidence[0]
            score = ev.score if c.answer == "yes" and ev.score is not None else -1.0
            scores[c.criterion_id].append((score, label, case.kind, case.probe or ev.text or ""))
    for cid, rows in scores.items():
        if only and cid not in only:
            continue
        pos = sorted(r for r in rows if r[1] == "yes")
        neg = sorted((r for r in rows if r[1] == "no"), reverse=True)
        best = None
        for t in sorted({r[0] for r in rows} | {0.99}):
            fd = sum(r[0] >= t for r in neg) / max(1, len(neg))
            rec = sum(r[0] >= t for r in pos) / max(1, len(pos))
            if fd <= MAX_FALSE and (best is None or rec > best[1]):
                best = (t, rec, fd)
        top_absent = neg[0][0] if neg else 0.0
        within = [r[0] for r in pos if r[0] > top_absent]
        gap = (top_absent + min(within)) / 2 if within else None
        t_now = shipped[cid].threshold or 0.0
        rec_now = sum(r[0] >= t_now for r in pos) / max(1, len(pos))
        fd_now = sum(r[0] >= t_now for r in neg) / max(1, len(neg))
        print(
            f"\n== {cid}: shipped {t_now} (recall {rec_now:.2f}, false {fd_now:.2f}); "
            f"highest absent {top_absent:.3f}; mid-gap {gap}; best {best}"
        )
        print("  lowest present:", *(f"\n    {s:.3f} [{k}] {t!r}" for s, _, k, t in pos[:8]))
        print("  highest absent:", *(f"\n    {s:.3f} [{k}] {t!r}" for s, _, k, t in neg[:8]))


if __name__ == "__main__":
    main(sys.argv[1:])
