"""Rules are validated from parsed data in the domain; the edge reads the file. Every error
names the file (or origin) and, for invalid rules, the path inside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.actions.domain.rules import RulesError, parse_rules
from services.actions.rules_file import load_rules
from services.actions.settings import DEFAULT_RULES


def test_parsed_rules_are_validated_naming_origin_and_path() -> None:
    bad = {"rules": [{"id": "x", "kind": "coaching", "scope": "team", "metric": "qa_score"}]}
    with pytest.raises(RulesError, match=r"^ops-rules: rules\.0\.trigger: Field required"):
        parse_rules(bad, "ops-rules")
    twice = {"rules": [load_rules(DEFAULT_RULES).rules[0].model_dump(mode="json")] * 2}
    with pytest.raises(RulesError, match="ops-rules: rules: duplicate rule id"):
        parse_rules(twice, "ops-rules")


def test_unreadable_or_broken_files_are_named(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    with pytest.raises(RulesError) as info:
        load_rules(missing)
    assert str(missing) in str(info.value)
    broken = tmp_path / "broken.yaml"
    broken.write_text("rules: [unclosed\n")
    with pytest.raises(RulesError) as info:
        load_rules(broken)
    assert str(info.value).startswith(f"{broken}: ")
