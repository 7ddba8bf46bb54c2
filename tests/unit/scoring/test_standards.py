"""Standards loading: the default set loads; a malformed file names file, path, line and
reason; versions follow content, not formatting."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from contracts.common import Channel
from services.scoring.domain.standards_assembly import StandardsError
from services.scoring.standards_files import load_standards

DEFAULT = Path(__file__).parents[3] / "services" / "scoring" / "standards"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "standards"
    shutil.copytree(DEFAULT, target)
    return target


def test_default_standards_load_with_heat_section() -> None:
    standard = load_standards(DEFAULT)
    card = standard.scorecard("core-qa")
    heat = next(s for s in card.sections if s.id == "complaint-handling")
    assert [c.id for c in heat.criteria] == [
        "heat-hear",
        "heat-empathise",
        "heat-apologise",
        "heat-take-action",
    ]
    assert standard.service_level(Channel.VOICE, "any").threshold_seconds == 20
    assert standard.id.startswith("generic-contact-centre:") and len(card.version) == 12


def test_error_names_file_path_line_and_reason(folder: Path) -> None:
    card = folder / "scorecards" / "core-qa.yaml"
    text = card.read_text().replace("    weight: 35\n", "    weight: -2\n")
    card.write_text(text)
    line = text.splitlines().index("    weight: -2") + 1
    with pytest.raises(StandardsError) as info:
        load_standards(folder)
    message = str(info.value)
    assert str(card) in message and "sections.1.weight" in message
    assert f"(line {line})" in message and "greater than 0" in message


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (
            (
                "kind: scale\n        scale_max: 4\n        weight: 2",
                "kind: scale\n        weight: 2",
            ),
            "scale_max",
        ),
        (("id: empathy", "id: greeting"), "duplicate criterion"),
        (("critical: evaluation", "critical: sometimes"), "critical"),
        (
            (
                "kind: semantic\n          region: opening",
                "kind: telepathy\n          region: opening",
            ),
            "kind",
        ),
        (("region: opening\n          threshold: 0.5\n", "region: opening\n"), "threshold"),
        (
            (
                "kind: semantic\n          region: opening",
                "kind: phrase\n          region: opening",
            ),
            "phrases or a pattern",
        ),
        (("critical: evaluation", "critical: evaluation\n        na_allowed: false"), "needs N/A"),
    ],
)
def test_semantic_errors_are_refused(folder: Path, edit: tuple[str, str], reason: str) -> None:
    card = folder / "scorecards" / "core-qa.yaml"
    text = card.read_text()
    assert edit[0] in text
    card.write_text(text.replace(edit[0], edit[1], 1))
    with pytest.raises(StandardsError, match=reason):
        load_standards(folder)


def test_broken_yaml_and_missing_file(folder: Path) -> None:
    (folder / "standard.yaml").write_text("name: [unclosed\n")
    with pytest.raises(StandardsError, match=r"standard\.yaml"):
        load_standards(folder)
    (folder / "standard.yaml").unlink()
    with pytest.raises(StandardsError, match="file not found"):
        load_standards(folder)


def test_version_follows_content_not_formatting(folder: Path) -> None:
    before = load_standards(folder)
    main = folder / "standard.yaml"
    main.write_text("# a new comment\n\n" + main.read_text())
    assert load_standards(folder).version == before.version
    main.write_text(main.read_text().replace("fcr_target_percent: 75", "fcr_target_percent: 80"))
    after = load_standards(folder)
    assert after.version != before.version
    assert after.scorecard("core-qa").version == before.scorecard("core-qa").version
    card = folder / "scorecards" / "core-qa.yaml"
    card.write_text(card.read_text().replace("weight: 35", "weight: 36"))
    assert (
        load_standards(folder).scorecard("core-qa").version != before.scorecard("core-qa").version
    )


def test_unknown_scorecard_or_stale_version() -> None:
    standard = load_standards(DEFAULT)
    with pytest.raises(KeyError):
        standard.scorecard("nope")
    with pytest.raises(KeyError, match="not in force"):
        standard.scorecard("core-qa", "000000000000")
