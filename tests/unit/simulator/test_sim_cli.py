"""`python -m simulator`: a dry run writes the day and its ground truth, byte for byte the same
for the same seed; bad options are refused before anything is sent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contracts.inbound import inbound_adapter
from simulator.__main__ import main


def dry_run(tmp: Path, name: str, seed: int) -> tuple[bytes, bytes]:
    out, truth = tmp / f"{name}.jsonl", tmp / f"{name}.json"
    argv = ["--seed", str(seed), "--day", "2026-11-20", "--scale", "0.2", "--history-days", "3"]
    assert main([*argv, "--dry-run", "--out", str(out), "--ground-truth", str(truth)]) == 0
    return out.read_bytes(), truth.read_bytes()


def test_dry_run_is_reproducible_and_valid(tmp_path: Path) -> None:
    first, second, other = (
        dry_run(tmp_path, "a", 3),
        dry_run(tmp_path, "b", 3),
        dry_run(tmp_path, "c", 4),
    )
    assert first == second and first[0] != other[0]
    lines = first[0].decode().splitlines()
    for line in lines:
        inbound_adapter.validate_json(line)
    truth = json.loads(first[1])
    assert truth["seed"] == 3 and truth["day"] == "2026-11-20"
    assert [s["id"] for s in truth["scenarios"]] == [
        "systemic-summary",
        "coaching-summary",
        "understaffed-interval",
        "complaint-spike",
        "noise",
    ]


@pytest.mark.parametrize("bad", [["--speed", "0"], ["--speed", "fast"], ["--scale", "-1"]])
def test_bad_options_are_refused(bad: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([*bad, "--dry-run"])
    assert exit_.value.code == 2
    assert "error: argument" in capsys.readouterr().err
