"""AutoQA paraphrase benchmark: per criterion recall, false detection and Cohen's kappa on the
held-out split (tune split alongside, for reference), and interactions/s on one core.

    make bench-autoqa     (or: .venv/bin/python -m bench.autoqa [--no-write] [--misses N])

Writes bench/autoqa/results.md.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # figures per core
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import platform
from datetime import UTC, datetime
from pathlib import Path

from bench.autoqa.corpus import cases
from bench.autoqa.metrics import Figures
from bench.autoqa.run import Miss, evaluate
from bench.autoqa.throughput import measure
from services.scoring.autoqa_model import LICENCE, VERSION, shared_encoder
from services.scoring.settings import DEFAULT_STANDARDS
from services.scoring.standards_files import load_standards

RESULTS = Path(__file__).parent / "results.md"
RECALL, FALSE = 0.90, 0.05


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def table(rows: list[Figures], engines: dict[str, str]) -> list[str]:
    out = [
        "| criterion | engine | cases | present | recall | absent | false detection "
        "| N/A agreed | kappa | targets |",
        "| --- " * 10 + "|",
    ]
    for f in rows:
        met = (f.recall or 0) >= RECALL and (f.false_detection or 0) <= FALSE
        na = f"{f.na_agreed}/{f.na_cases}" if f.na_cases else "-"
        out.append(
            f"| {f.criterion} | {engines[f.criterion]} | {f.cases} | {f.present} "
            f"| {_pct(f.recall)} | {f.absent} | {_pct(f.false_detection)} | {na} | {_pct(f.kappa)} "
            f"| {'met' if met else 'not met'} |"
        )
    return out


def miss_lines(misses: list[Miss], limit: int) -> list[str]:
    out = []
    for m in misses[:limit]:
        what = m.case.probe or m.case.id
        score = f" score {m.score:.2f} vs {m.threshold}" if m.score is not None else ""
        out.append(
            f"- {m.criterion}: expected {m.label}, got {m.answer}{score} — [{m.case.kind}, "
            f"{m.case.channel}] {what!r} (evidence: {m.evidence!r})"
        )
    return out


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--no-write", action="store_true")
    p.add_argument("--misses", type=int, default=40)
    args = p.parse_args()
    card = load_standards(DEFAULT_STANDARDS).scorecard("core-qa")
    engines = {c.id: c.detector.kind for s in card.sections for c in s.criteria if c.detector}
    enc = shared_encoder()
    held, held_misses = evaluate("heldout", card, enc)
    tuned, _ = evaluate("tune", card, enc)
    speed = measure(cases("heldout", card), card, enc)
    lines = [
        "# AutoQA paraphrase benchmark — results",
        "",
        f"Generated {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `python -m bench.autoqa` on "
        f"{platform.machine()} ({os.cpu_count()} cores), one BLAS thread. Model {VERSION} "
        f"({LICENCE}); scorecard core-qa {card.version}. Targets: recall ≥ {RECALL}, "
        f"false detection ≤ {FALSE} per detector criterion on the held-out split.",
        "",
        "## Held-out split (never used for tuning)",
        "",
        *table(held, engines),
        "",
        "## Tune split (exemplars and thresholds were chosen on it: no measure of generality)",
        "",
        *table(tuned, engines),
        "",
        "## Throughput (600-character transcripts, one core)",
        "",
        *(f"- {k}: {v:,.0f} interactions/s" for k, v in speed.items()),
        "",
        f"## Held-out disagreements (first {args.misses} of {len(held_misses)})",
        "",
        *miss_lines(held_misses, args.misses),
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        RESULTS.write_text(text)


if __name__ == "__main__":
    main()
