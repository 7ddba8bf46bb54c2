"""The rules file at the edge: read and parse YAML, then let the domain validate it."""

from __future__ import annotations

from pathlib import Path

import yaml

from services.actions.domain.rules import RulesError, RuleSet, parse_rules


def load_rules(path: Path) -> RuleSet:
    """A bad file (unreadable, not YAML, invalid rules) raises `RulesError` naming it."""
    try:
        raw = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise RulesError(f"{path}: {exc}") from exc
    return parse_rules(raw, str(path))
