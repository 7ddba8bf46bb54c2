"""The benchmark's cases: whole conversations labelled by hand, and conversations assembled
from a split's frames with one agent utterance under test in its place. Deterministic."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from services.scoring.domain.standards import Scorecard

CORPUS = Path(__file__).parent / "corpus"
SPLITS = ("tune", "heldout")
SLOTS = ("opening", "middle", "closing")


@dataclass(frozen=True)
class Case:
    id: str
    channel: str
    transcript: str
    labels: dict[str, str]  # criterion -> the right answer (yes / no / na)
    kind: str = "conversation"  # conversation, present, absent, elsewhere, customer, plain
    probe: str = ""  # the utterance under test (assembled cases)


def _load(split: str, name: str) -> Any:
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}")
    return yaml.safe_load((CORPUS / split / f"{name}.yaml").read_text())


def regions(card: Scorecard) -> dict[str, tuple[str, str]]:
    """criterion -> (region, detector kind) for the criteria with a detector."""
    return {
        c.id: (c.detector.region, c.detector.kind)
        for s in card.sections
        for c in s.criteria
        if c.detector is not None
    }


def _fill(frame: dict[str, Any], slots: dict[str, str]) -> str:
    sep = "\n" if frame["channel"] == "chat" else " "
    text = sep.join(frame["turns"])
    for slot, value in slots.items():
        text = text.replace("{" + slot + "}", value)
    return text


def assembled(split: str, card: Scorecard) -> list[Case]:
    pools, framing = _load(split, "utterances"), _load(split, "frames")
    frames, fillers = framing["frames"], framing["fillers"]
    rng = random.Random(f"autoqa-bench-{split}")
    where = regions(card)
    cases: list[Case] = []

    def make(cid: str, kind: str, label: str, frame: dict[str, Any], slot: str, probe: str) -> None:
        slots = {s: rng.choice(fillers[s]) for s in (*SLOTS, "customer")}
        slots[slot] = probe
        if cid == "identity-verification" and not frame.get("account", True):
            label = "na"
        n = len(cases)
        text = _fill(frame, slots)
        cases.append(Case(f"{split}-{n}", frame["channel"], text, {cid: label}, kind, slots[slot]))

    for cid, pool in pools.items():
        region, engine = where[cid]
        shown, missing = ("no", "yes") if engine == "absent" else ("yes", "no")
        home = {"opening": "opening", "closing": "closing"}.get(region)
        away = [s for s in SLOTS if s != home]
        usable = [f for f in frames if cid not in f.get("shows", ())]
        if cid == "identity-verification":
            usable = [f for f in usable if f.get("account", True)]
        for n, text in enumerate(pool.get("present", [])):
            slot = home or SLOTS[n % 3]
            make(cid, "present", shown, usable[n % len(usable)], slot, text)
            if n % 3 == 0:  # the same words from the customer are not the agent's
                make(cid, "customer", missing, usable[(n + 1) % len(usable)], "customer", text)
        for n, text in enumerate(pool.get("absent", [])):
            make(cid, "absent", missing, usable[n % len(usable)], home or SLOTS[n % 3], text)
        for n, text in enumerate(pool.get("elsewhere", [])):
            make(cid, "elsewhere", missing, usable[n % len(usable)], away[n % len(away)], text)
        for frame in frames:  # the frame alone, with fillers
            label = shown if cid in frame.get("shows", ()) else missing
            make(cid, "plain", label, frame, "customer", rng.choice(fillers["customer"]))
    return cases


def _answer(value: Any) -> str:
    """YAML reads a bare yes/no as a boolean."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def conversations(split: str) -> list[Case]:
    return [
        Case(
            c["id"],
            c["channel"],
            c["transcript"].strip(),
            {k: _answer(v) for k, v in c["labels"].items()},
        )
        for c in _load(split, "conversations")
    ]


def cases(split: str, card: Scorecard) -> list[Case]:
    return conversations(split) + assembled(split, card)
